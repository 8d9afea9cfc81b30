using ModelCompiler.Kernels;
using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>
/// LayerNormalization against the reference interpreter in double, with the error bounds of
/// <see cref="NormalizationChecks"/>. Epsilon is a power of two, so the float argument equals the reference's value.
/// </summary>
public class LayerNormalizationTests
{
    private const float Epsilon = 1f / 1024;

    /// <summary>Shapes (batchSize, channels, height, width); sizes 1, 4, 7, 30, 48 and 75 cover the scalar path and vector tails.</summary>
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 3, 1, 1, 1 },
        { 4, 4, 1, 1 },
        { 2, 1, 1, 7 },
        { 2, 3, 2, 5 },
        { 3, 3, 4, 4 },
        { 2, 3, 5, 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchReferenceInterpreter(int batchSize, int channels, int height, int width)
    {
        var random = new Random(701 + batchSize * 100 + channels * 10 + width);
        var shape = new ReferenceShape(channels, height, width);
        int size = shape.Size;
        float[] x = FloatAccuracy.Uniform(random, batchSize * size, 2.0).Select(v => v - 0.3f).ToArray();
        float[] weight = FloatAccuracy.Uniform(random, size, 1.5);
        float[] bias = FloatAccuracy.Uniform(random, size, 1.0);
        double[] parameters = [.. weight.Select(v => (double)v), .. bias.Select(v => (double)v)];
        OracleResult oracle = ReferenceOracle.Run(new LayerNormLayer(Epsilon), shape, batchSize, parameters, x, seed: 702);

        float[] y = new float[x.Length];
        float[] savedMean = new float[batchSize], savedInverseStd = new float[batchSize];
        LayerNormalization.Forward(x, y, weight, bias, savedMean, savedInverseStd, batchSize, size, Epsilon);

        int[] exampleOf = Enumerable.Range(0, x.Length).Select(i => i / size).ToArray();
        int[] elementOf = Enumerable.Range(0, x.Length).Select(i => i % size).ToArray();
        var checks = new NormalizationChecks(x, exampleOf, batchSize, elementOf, Epsilon);
        checks.AssertOutput(y, oracle.Output, weight, bias, "LayerNorm");
        for (int n = 0; n < batchSize; n++)
        {
            FloatAccuracy.AssertWithinUlps(savedMean[n], checks.Mean[n], 0.501, $"savedMean[{n}]");
            FloatAccuracy.AssertWithinUlps(savedInverseStd[n], checks.InverseStd[n], 0.501, $"savedInverseStd[{n}]");
        }

        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);
        float[] dx = new float[x.Length];
        float[] weightGradients = FloatAccuracy.Uniform(random, size, 1.0);
        float[] biasGradients = FloatAccuracy.Uniform(random, size, 1.0);
        float[] initialWeight = (float[])weightGradients.Clone(), initialBias = (float[])biasGradients.Clone();
        LayerNormalization.Backward(x, dy, dx, weight, savedMean, savedInverseStd, weightGradients, biasGradients, batchSize, size);

        checks.AssertInputGradient(dx, oracle.InputGradient, dy, weight, "LayerNorm");
        checks.AssertParameterGradients(
            weightGradients, biasGradients, initialWeight, initialBias, oracle.ParameterGradients[..size], oracle.ParameterGradients[size..],
            dy, accumulations: batchSize, "LayerNorm");
    }

    [Fact]
    public void Forward_SameSpan_MatchesSeparateOutput()
    {
        const int batchSize = 3, size = 37;
        var random = new Random(703);
        float[] x = FloatAccuracy.Uniform(random, batchSize * size, 2.0);
        float[] weight = FloatAccuracy.Uniform(random, size, 1.0), bias = FloatAccuracy.Uniform(random, size, 1.0);
        float[] y = new float[x.Length];
        float[] inPlace = (float[])x.Clone();

        LayerNormalization.Forward(x, y, weight, bias, new float[batchSize], new float[batchSize], batchSize, size, 1e-5f);
        LayerNormalization.Forward(inPlace, inPlace, weight, bias, new float[batchSize], new float[batchSize], batchSize, size, 1e-5f);

        for (int i = 0; i < x.Length; i++)
        {
            FloatAccuracy.AssertBitwiseEqual(y[i], inPlace[i], $"LayerNorm in place, element {i}");
        }
    }

    [Fact]
    public void InvalidArguments_ThrowWithParameterName()
    {
        float[] twelve = new float[12], six = new float[6], two = new float[2];

        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(
            () => LayerNormalization.Forward(twelve, twelve, six, six, two, two, 2, 0, 1e-5f)).ParamName);
        var shortX = Assert.Throws<ArgumentException>(() => LayerNormalization.Forward(new float[11], twelve, six, six, two, two, 2, 6, 1e-5f));
        Assert.Equal("x", shortX.ParamName);
        Assert.Contains("x has 11 elements, but batchSize * size = 12 are required", shortX.Message);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(
            () => LayerNormalization.Forward(twelve, twelve, six, new float[5], two, two, 2, 6, 1e-5f)).ParamName);
        Assert.Equal("savedMean", Assert.Throws<ArgumentException>(
            () => LayerNormalization.Forward(twelve, twelve, six, six, new float[1], two, 2, 6, 1e-5f)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(
            () => LayerNormalization.Backward(twelve, twelve, twelve, new float[5], two, two, six, six, 2, 6)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(
            () => LayerNormalization.Backward(twelve, new float[11], twelve, six, two, two, six, six, 2, 6)).ParamName);
        Assert.Equal("biasGradients", Assert.Throws<ArgumentException>(
            () => LayerNormalization.Backward(twelve, twelve, twelve, six, two, two, six, new float[5], 2, 6)).ParamName);
    }
}

using ModelCompiler.Kernels;
using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>
/// GroupNormalization, and instance normalization through it, against the reference interpreter in double, with the
/// error bounds of <see cref="NormalizationChecks"/>. Epsilon is a power of two, so the float argument equals the
/// reference's value.
/// </summary>
public class GroupNormalizationTests
{
    private const float Epsilon = 1f / 1024;

    /// <summary>Shapes (batchSize, channels, groups, height, width), including one group and one channel per group.</summary>
    public static TheoryData<int, int, int, int, int> Shapes => new()
    {
        { 3, 4, 2, 3, 3 },
        { 2, 6, 3, 5, 5 },
        { 2, 6, 1, 2, 2 },
        { 3, 3, 3, 4, 5 },
        { 4, 8, 4, 1, 1 },
        { 2, 4, 2, 1, 17 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GroupNorm_MatchesReferenceInterpreter(int batchSize, int channels, int groups, int height, int width)
    {
        AssertMatchesReference(new GroupNormLayer(groups, Epsilon), batchSize, channels, groups, height, width, affine: true, seed: 801 + channels * 10 + groups);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void InstanceNorm_MatchesReferenceInterpreter(bool affine)
    {
        AssertMatchesReference(new InstanceNormLayer(Epsilon, affine), batchSize: 3, channels: 4, groups: 4, height: 3, width: 7, affine, seed: 802);
    }

    [Fact]
    public void SameSpans_MatchSeparateOutputs()
    {
        const int batchSize = 2, channels = 6, groups = 3, planeSize = 11;
        var random = new Random(803);
        float[] x = FloatAccuracy.Uniform(random, batchSize * channels * planeSize, 2.0);
        float[] dy = FloatAccuracy.Uniform(random, x.Length, 1.0);
        float[] gamma = FloatAccuracy.Uniform(random, channels, 1.0), beta = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] savedMean = new float[batchSize * groups], savedInverseStd = new float[batchSize * groups];
        float[] y = new float[x.Length], dx = new float[x.Length];
        float[] inPlace = (float[])x.Clone(), gradientInPlace = (float[])dy.Clone();

        GroupNormalization.Forward(x, y, gamma, beta, savedMean, savedInverseStd, batchSize, channels, groups, planeSize, 1e-5f);
        GroupNormalization.Forward(inPlace, inPlace, gamma, beta, savedMean, savedInverseStd, batchSize, channels, groups, planeSize, 1e-5f);
        GroupNormalization.Backward(x, dy, dx, gamma, savedMean, savedInverseStd, new float[channels], new float[channels], batchSize, channels, groups, planeSize);
        GroupNormalization.Backward(
            x, gradientInPlace, gradientInPlace, gamma, savedMean, savedInverseStd, new float[channels], new float[channels], batchSize, channels, groups, planeSize);

        for (int i = 0; i < x.Length; i++)
        {
            FloatAccuracy.AssertBitwiseEqual(y[i], inPlace[i], $"Forward in place, element {i}");
            FloatAccuracy.AssertBitwiseEqual(dx[i], gradientInPlace[i], $"Backward in place, element {i}");
        }
    }

    [Fact]
    public void InvalidArguments_ThrowWithParameterName()
    {
        float[] twelve = new float[12], three = new float[3], six = new float[6];

        var groups = Assert.Throws<ArgumentOutOfRangeException>(
            () => GroupNormalization.Forward(twelve, twelve, three, three, six, six, 2, 3, 2, 2, 1e-5f));
        Assert.Equal("groups", groups.ParamName);
        Assert.Contains("channels (3) is not a multiple of groups (2)", groups.Message);
        var oneEmpty = Assert.Throws<ArgumentException>(() => GroupNormalization.Forward(twelve, twelve, [], three, six, six, 2, 3, 3, 2, 1e-5f));
        Assert.Equal("gamma", oneEmpty.ParamName);
        Assert.Contains("gamma has 0 elements and beta has 3", oneEmpty.Message);
        Assert.Equal("savedInverseStd", Assert.Throws<ArgumentException>(
            () => GroupNormalization.Forward(twelve, twelve, three, three, six, new float[5], 2, 3, 3, 2, 1e-5f)).ParamName);
        var shortY = Assert.Throws<ArgumentException>(() => GroupNormalization.Forward(twelve, new float[11], three, three, six, six, 2, 3, 3, 2, 1e-5f));
        Assert.Equal("y", shortY.ParamName);
        Assert.Contains("y has 11 elements, but batchSize * channels * planeSize = 12 are required", shortY.Message);
        Assert.Equal("gammaGradients", Assert.Throws<ArgumentException>(
            () => GroupNormalization.Backward(twelve, twelve, twelve, three, six, six, new float[2], three, 2, 3, 3, 2)).ParamName);
        Assert.Equal("planeSize", Assert.Throws<ArgumentOutOfRangeException>(
            () => GroupNormalization.Backward(twelve, twelve, twelve, three, six, six, three, three, 2, 3, 3, 0)).ParamName);
    }

    private static void AssertMatchesReference(
        LayerDescription layer, int batchSize, int channels, int groups, int height, int width, bool affine, int seed)
    {
        var random = new Random(seed);
        var shape = new ReferenceShape(channels, height, width);
        int planeSize = height * width;
        float[] x = FloatAccuracy.Uniform(random, batchSize * shape.Size, 2.0).Select(v => v + 0.4f).ToArray();
        float[] gamma = affine ? FloatAccuracy.Uniform(random, channels, 1.5) : [];
        float[] beta = affine ? FloatAccuracy.Uniform(random, channels, 1.0) : [];
        double[] parameters = [.. gamma.Select(v => (double)v), .. beta.Select(v => (double)v)];
        OracleResult oracle = ReferenceOracle.Run(layer, shape, batchSize, parameters, x, seed + 1);
        string name = layer.GetType().Name;

        float[] y = new float[x.Length];
        float[] savedMean = new float[batchSize * groups], savedInverseStd = new float[batchSize * groups];
        GroupNormalization.Forward(x, y, gamma, beta, savedMean, savedInverseStd, batchSize, channels, groups, planeSize, Epsilon);

        int channelsPerGroup = channels / groups;
        int[] blockOf = Enumerable.Range(0, x.Length).Select(i => i / (channelsPerGroup * planeSize)).ToArray();
        int[] channelOf = Enumerable.Range(0, x.Length).Select(i => i / planeSize % channels).ToArray();
        var checks = new NormalizationChecks(x, blockOf, batchSize * groups, channelOf, Epsilon);
        checks.AssertOutput(y, oracle.Output, gamma, beta, name);
        for (int block = 0; block < batchSize * groups; block++)
        {
            FloatAccuracy.AssertWithinUlps(savedMean[block], checks.Mean[block], 0.501, $"{name} savedMean[{block}]");
            FloatAccuracy.AssertWithinUlps(savedInverseStd[block], checks.InverseStd[block], 0.501, $"{name} savedInverseStd[{block}]");
        }

        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);
        float[] dx = new float[x.Length];
        float[] gammaGradients = affine ? FloatAccuracy.Uniform(random, channels, 1.0) : [];
        float[] betaGradients = affine ? FloatAccuracy.Uniform(random, channels, 1.0) : [];
        float[] initialGamma = (float[])gammaGradients.Clone(), initialBeta = (float[])betaGradients.Clone();
        GroupNormalization.Backward(x, dy, dx, gamma, savedMean, savedInverseStd, gammaGradients, betaGradients, batchSize, channels, groups, planeSize);

        checks.AssertInputGradient(dx, oracle.InputGradient, dy, gamma, name);
        if (affine)
        {
            checks.AssertParameterGradients(
                gammaGradients, betaGradients, initialGamma, initialBeta, oracle.ParameterGradients[..channels], oracle.ParameterGradients[channels..],
                dy, accumulations: batchSize, name);
        }
    }
}

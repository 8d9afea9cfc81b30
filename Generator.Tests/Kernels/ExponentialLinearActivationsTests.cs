using ModelCompiler.Kernels;
using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>
/// ELU and SELU against double-precision formulas.
/// </summary>
/// <remarks>
/// The expected exp(x) - 1 is computed as 2t / (1 - t) with t = tanh(x / 2), an identity that does not cancel for
/// x &lt;= 0 and shares no code with the kernel. The forward kernels and EluBackwardFromInput round a double value
/// once, so they must be within 1 ulp. The gradients from the forward output are two float operations on float
/// inputs and constants, so they are held to gamma(2) relative error against the same expression in double.
/// </remarks>
public class ExponentialLinearActivationsTests
{
    private const double SeluScale = SELULayer.Scale;
    private const double SeluAlpha = SELULayer.Alpha;

    private static readonly float[] SpecialValues =
        [float.NaN, -0f, 0f, 1000f, -1000f, -1e-7f, -1e-10f, -1e-30f, -float.Epsilon, float.PositiveInfinity, float.NegativeInfinity];

    public static TheoryData<float> Alphas => [1.0f, 0.5f, 1.75f];

    [Theory]
    [MemberData(nameof(Alphas))]
    public void Elu_LengthSweep_WithinOneUlp(float alpha)
    {
        AssertForward("Elu", (x, y) => Activations.Elu(x, y, alpha), x => x > 0 ? x : alpha * ExpMinusOne(x), seed: 301);
    }

    /// <summary>Near 0, exp(x) - 1 computed directly in float would keep no correct digit of alpha * x at x = -1e-10.</summary>
    [Fact]
    public void Elu_NearZero_KeepsRelativeAccuracy()
    {
        float[] x = [-1e-5f, -1e-7f, -1e-10f, -1e-20f, -1e-38f, -0f];
        float[] y = new float[x.Length];

        Activations.Elu(x, y, 1.25f);

        for (int i = 0; i < x.Length; i++)
        {
            FloatAccuracy.AssertWithinUlps(y[i], 1.25 * ExpMinusOne(x[i]), 1.0, $"Elu({x[i]:R})");
        }

        FloatAccuracy.AssertBitwiseEqual(-0f, y[^1], "Elu(-0)");
    }

    [Theory]
    [MemberData(nameof(Alphas))]
    public void EluBackwardFromOutput_LengthSweep_WithinTwoRoundings(float alpha)
    {
        AssertOutputGradient(
            "EluBackwardFromOutput",
            (y, dy, dx) => Activations.EluBackwardFromOutput(y, dy, dx, alpha),
            (y, dy) => y <= 0 ? dy * (y + alpha) : dy,
            seed: 302,
            minimumOutput: -alpha);
    }

    [Theory]
    [MemberData(nameof(Alphas))]
    public void EluBackwardFromInput_LengthSweep_WithinOneUlp(float alpha)
    {
        var random = new Random(303);
        foreach (int length in FloatAccuracy.SweepLengths())
        {
            float[] x = Inputs(random, length);
            float[] dy = FloatAccuracy.Uniform(random, length, 2.0);
            float[] dx = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
            float[] inPlace = (float[])dy.Clone();

            Activations.EluBackwardFromInput(x, dy, dx.AsSpan(0, length), alpha);
            Activations.EluBackwardFromInput(x, inPlace, inPlace, alpha);

            for (int i = 0; i < length; i++)
            {
                // NaN takes the linear branch and passes dy through, as in PyTorch's elu_backward.
                double expected = x[i] <= 0 ? (double)dy[i] * alpha * Math.Exp(x[i]) : dy[i];
                FloatAccuracy.AssertWithinUlps(dx[i], expected, 1.0, $"EluBackwardFromInput length {length}, x[{i}] = {x[i]:R}");
                FloatAccuracy.AssertBitwiseEqual(dx[i], inPlace[i], $"EluBackwardFromInput in place, length {length}, element {i}");
            }

            KernelTestData.AssertSentinelsIntact(dx, length, $"EluBackwardFromInput length {length}");
        }
    }

    [Fact]
    public void EluBackward_FromOutputAndFromInput_Agree()
    {
        float[] x = FloatAccuracy.Uniform(new Random(304), 300, 6.0);
        float[] y = new float[x.Length];
        float[] dy = FloatAccuracy.Uniform(new Random(305), x.Length, 1.0);
        float[] fromOutput = new float[x.Length];
        float[] fromInput = new float[x.Length];

        Activations.Elu(x, y, 1.5f);
        Activations.EluBackwardFromOutput(y, dy, fromOutput, 1.5f);
        Activations.EluBackwardFromInput(x, dy, fromInput, 1.5f);

        for (int i = 0; i < x.Length; i++)
        {
            // y + alpha carries y's rounding, half an ulp of y, in absolute terms.
            double allowed = 2 * FloatAccuracy.Ulp(fromInput[i]) + Math.Abs(dy[i]) * FloatAccuracy.Ulp(y[i]);
            FloatAccuracy.AssertClose(fromOutput[i], fromInput[i], allowed, $"Elu gradients at x = {x[i]:R}");
        }
    }

    [Fact]
    public void Selu_LengthSweep_WithinOneUlp()
    {
        AssertForward("Selu", (x, y) => Activations.Selu(x, y), x => x > 0 ? SeluScale * x : SeluScale * SeluAlpha * ExpMinusOne(x), seed: 306);
    }

    /// <summary>
    /// The kernel rounds scale and scale * alpha to float. The positive branch is then within gamma(2) of
    /// dy * scale. The negative branch adds y to the rounded scale * alpha, whose rounding error (half an ulp of
    /// 1.758) stays in the sum in absolute terms, so that branch also gets |dy| * ulp(1.758) / 2.
    /// </summary>
    [Fact]
    public void SeluBackward_LengthSweep_WithinConstantRounding()
    {
        var random = new Random(307);
        double negativeLimit = SeluScale * SeluAlpha;
        foreach (int length in FloatAccuracy.SweepLengths())
        {
            float[] y = FloatAccuracy.Uniform(random, length, 3.0).Select(v => v < -negativeLimit ? (float)-negativeLimit : v).ToArray();
            float[] dy = FloatAccuracy.Uniform(random, length, 2.0);
            float[] dx = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
            float[] inPlace = (float[])dy.Clone();

            Activations.SeluBackward(y, dy, dx.AsSpan(0, length));
            Activations.SeluBackward(y, inPlace, inPlace);

            for (int i = 0; i < length; i++)
            {
                double expected = y[i] <= 0 ? dy[i] * (y[i] + negativeLimit) : dy[i] * SeluScale;
                double constantRounding = y[i] <= 0 ? Math.Abs(dy[i]) * FloatAccuracy.Ulp(negativeLimit) / 2 : 0;
                double allowed = KernelTestData.RoundingBound(2, Math.Abs(expected)) + constantRounding + float.Epsilon;
                FloatAccuracy.AssertClose(dx[i], expected, allowed, $"SeluBackward length {length}, y[{i}] = {y[i]:R}");
                FloatAccuracy.AssertBitwiseEqual(dx[i], inPlace[i], $"SeluBackward in place, length {length}, element {i}");
            }

            KernelTestData.AssertSentinelsIntact(dx, length, $"SeluBackward length {length}");
        }
    }

    [Fact]
    public void ExponentialLinearBackward_NaNOutput_PassesGradientThrough()
    {
        float[] y = [float.NaN, 0f, -0.5f];
        float[] dy = [3f, 3f, 3f];
        float[] elu = new float[3];
        float[] selu = new float[3];

        Activations.EluBackwardFromOutput(y, dy, elu, 1f);
        Activations.SeluBackward(y, dy, selu);

        Assert.Equal([3f, 3f, 1.5f], elu);
        Assert.Equal(3f * (float)SeluScale, selu[0]);
        Assert.Equal(3f * (float)(SeluScale * SeluAlpha), selu[1]);
    }

    [Fact]
    public void Elu_MatchesReferenceInterpreter()
    {
        AssertMatchesReference(
            new ELULayer(1.5),
            (x, y) => Activations.Elu(x, y, 1.5f),
            (x, y, dy) => Activations.EluBackwardFromInput(x, dy, dy, 1.5f),
            "Elu");
    }

    [Fact]
    public void Selu_MatchesReferenceInterpreter()
    {
        AssertMatchesReference(new SELULayer(), (x, y) => Activations.Selu(x, y), (x, y, dy) => Activations.SeluBackward(y, dy, dy), "Selu");
    }

    [Fact]
    public void ExponentialLinear_ShortSpans_ThrowWithParameterName()
    {
        float[] five = new float[5], four = new float[4];

        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Elu(five, four, 1f)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Selu(five, four)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => Activations.EluBackwardFromOutput(five, four, five, 1f)).ParamName);
        var mismatch = Assert.Throws<ArgumentException>(() => Activations.EluBackwardFromInput(four, five, five, 1f));
        Assert.Equal("dy", mismatch.ParamName);
        Assert.Contains("dy has 5 elements, but x has 4", mismatch.Message);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Activations.SeluBackward(five, five, four)).ParamName);
    }

    /// <summary>Returns exp(x) - 1 for x &lt;= 0 as 2t / (1 - t), t = tanh(x / 2), which does not cancel near 0.</summary>
    private static double ExpMinusOne(double x)
    {
        double t = Math.Tanh(x / 2);
        return 2 * t / (1 - t);
    }

    private static float[] Inputs(Random random, int length)
    {
        float[] values = FloatAccuracy.Uniform(random, length, 10.0);
        foreach (float special in SpecialValues)
        {
            if (length > 0)
            {
                values[random.Next(length)] = special;
            }
        }

        return values;
    }

    private static void AssertForward(string name, Action<float[], Span<float>> kernel, Func<double, double> expected, int seed)
    {
        var random = new Random(seed);
        foreach (int length in FloatAccuracy.SweepLengths())
        {
            float[] x = Inputs(random, length);
            float[] y = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
            float[] inPlace = (float[])x.Clone();

            kernel(x, y.AsSpan(0, length));
            kernel(inPlace, inPlace);

            for (int i = 0; i < length; i++)
            {
                // NaN takes the linear branch, which returns it.
                double value = float.IsNaN(x[i]) ? double.NaN : expected(x[i]);
                FloatAccuracy.AssertWithinUlps(y[i], value, 1.0, $"{name} length {length}, x[{i}] = {x[i]:R}");
                FloatAccuracy.AssertBitwiseEqual(y[i], inPlace[i], $"{name} in place, length {length}, x[{i}] = {x[i]:R}");
            }

            KernelTestData.AssertSentinelsIntact(y, length, $"{name} length {length}");
        }
    }

    private static void AssertOutputGradient(
        string name, Action<float[], float[], Span<float>> kernel, Func<double, double, double> expected, int seed, double minimumOutput)
    {
        var random = new Random(seed);
        foreach (int length in FloatAccuracy.SweepLengths())
        {
            float[] y = FloatAccuracy.Uniform(random, length, 3.0).Select(v => (float)Math.Max(v, minimumOutput)).ToArray();
            if (length > 2)
            {
                y[0] = 0f;
                y[1] = float.NaN;
            }

            float[] dy = FloatAccuracy.Uniform(random, length, 2.0);
            float[] dx = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
            float[] inPlace = (float[])dy.Clone();

            kernel(y, dy, dx.AsSpan(0, length));
            kernel(y, inPlace, inPlace);

            for (int i = 0; i < length; i++)
            {
                double value = float.IsNaN(y[i]) ? dy[i] : expected(y[i], dy[i]);
                FloatAccuracy.AssertRoundings(dx[i], value, 2, $"{name} length {length}, y[{i}] = {y[i]:R}");
                FloatAccuracy.AssertBitwiseEqual(dx[i], inPlace[i], $"{name} in place, length {length}, element {i}");
            }

            KernelTestData.AssertSentinelsIntact(dx, length, $"{name} length {length}");
        }
    }

    /// <summary>
    /// Compares with the reference interpreter in double on a 2 x 3 x 4 x 5 batch. Outputs must be within 1 ulp.
    /// Input gradients must be within 4 ulps (dy's rounding and the gradient's own), plus, for a gradient read from
    /// the forward output, the output's rounding, half an ulp of y, times |dy|.
    /// </summary>
    private static void AssertMatchesReference(
        LayerDescription layer, Action<float[], float[]> forward, Action<float[], float[], float[]> backward, string name)
    {
        var shape = new ReferenceShape(3, 4, 5);
        const int batchSize = 2;
        float[] x = FloatAccuracy.Uniform(new Random(308), batchSize * shape.Size, 4.0);
        OracleResult oracle = ReferenceOracle.Run(layer, shape, batchSize, [], x, seed: 309);
        float[] y = new float[x.Length];
        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);

        forward(x, y);
        backward(x, y, dy);

        for (int i = 0; i < x.Length; i++)
        {
            FloatAccuracy.AssertWithinUlps(y[i], oracle.Output[i], 1.0, $"{name} output {i}, x = {x[i]:R}");
            double allowed = 4 * FloatAccuracy.Ulp(oracle.InputGradient[i]) + Math.Abs(oracle.OutputGradient[i]) * FloatAccuracy.Ulp(y[i]);
            FloatAccuracy.AssertClose(dy[i], oracle.InputGradient[i], allowed, $"{name} input gradient {i}, x = {x[i]:R}");
        }
    }
}

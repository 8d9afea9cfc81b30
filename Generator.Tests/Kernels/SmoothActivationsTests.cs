using ModelCompiler.Kernels;
using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>
/// Sigmoid, tanh, Swish and GELU against double-precision formulas.
/// </summary>
/// <remarks>
/// The forward kernels and the GELU and Swish gradients evaluate in double and round once. Each result must
/// therefore be within 1 ulp of the double value: 0.5 ulp comes from the final rounding, and the rest covers the
/// double evaluation and the test's own double formula, whose errors are below 1e-10 relative, far below a float ulp.
/// The sigmoid and tanh gradients from the forward output are three or four float operations, each exact up to one
/// rounding, so they are held to gamma(3) and gamma(4) relative error.
/// </remarks>
public class SmoothActivationsTests
{
    private const double SqrtTwoOverPi = 0.79788456080286535588;

    /// <summary>Special and saturating inputs planted into the sweeps.</summary>
    private static readonly float[] SpecialValues =
        [float.NaN, -0f, 0f, 1000f, -1000f, 88.7f, -88.7f, 104f, -104f, 1e-30f, -1e-30f, float.PositiveInfinity, float.NegativeInfinity];

    [Fact]
    public void Sigmoid_LengthSweep_WithinOneUlp()
    {
        AssertForwardWithinOneUlp("Sigmoid", (x, y) => Activations.Sigmoid(x, y), ExpectedSigmoid, seed: 201, scale: 30.0);
    }

    [Fact]
    public void Sigmoid_LargeMagnitude_SaturatesExactly()
    {
        float[] x = [-1000f, 1000f, float.NegativeInfinity, float.PositiveInfinity, -104f, 20f];
        float[] y = new float[x.Length];

        Activations.Sigmoid(x, y);

        Assert.Equal([0f, 1f, 0f, 1f, 0f, 1f], y);
    }

    [Fact]
    public void SigmoidBackward_LengthSweep_WithinThreeRoundings()
    {
        AssertOutputGradient(
            "SigmoidBackward", (y, dy, dx) => Activations.SigmoidBackward(y, dy, dx), (y, dy) => dy * (y * (1.0 - y)), roundings: 3, seed: 202, outputScale: 1.0);
    }

    [Fact]
    public void Tanh_LengthSweep_WithinOneUlp()
    {
        AssertForwardWithinOneUlp("Tanh", (x, y) => Activations.Tanh(x, y), Math.Tanh, seed: 203, scale: 10.0);
    }

    [Fact]
    public void Tanh_LargeMagnitude_SaturatesExactly()
    {
        float[] x = [-1000f, 1000f, float.NegativeInfinity, float.PositiveInfinity, 10f];
        float[] y = new float[x.Length];

        Activations.Tanh(x, y);

        Assert.Equal([-1f, 1f, -1f, 1f, 1f], y);
    }

    [Fact]
    public void TanhBackward_LengthSweep_WithinFourRoundings()
    {
        AssertOutputGradient(
            "TanhBackward", (y, dy, dx) => Activations.TanhBackward(y, dy, dx), (y, dy) => dy * (1.0 - y * y), roundings: 4, seed: 204, outputScale: 1.0);
    }

    [Theory]
    [InlineData(1.0f)]
    [InlineData(0.5f)]
    [InlineData(1.702f)]
    public void Swish_LengthSweep_WithinOneUlp(float beta)
    {
        AssertForwardWithinOneUlp("Swish", (x, y) => Activations.Swish(x, y, beta), x => x * ExpectedSigmoid(beta * x), seed: 205, scale: 30.0);
    }

    [Theory]
    [InlineData(1.0f)]
    [InlineData(0.5f)]
    [InlineData(1.702f)]
    public void SwishBackward_LengthSweep_WithinOneUlp(float beta)
    {
        // d/dx of x * s(beta x) is s + beta x s (1 - s), with 1 - s written as s(-beta x) so that it does not cancel.
        AssertInputGradientWithinOneUlp(
            "SwishBackward",
            (x, dy, dx) => Activations.SwishBackward(x, dy, dx, beta),
            x => ExpectedSigmoid(beta * x) + (beta * x * ExpectedSigmoid(beta * x) * ExpectedSigmoid(-beta * x)),
            seed: 206,
            scale: 30.0);
    }

    [Fact]
    public void Swish_Derivative_MatchesFiniteDifferences()
    {
        AssertDerivativeMatchesFiniteDifferences(
            x => x * ExpectedSigmoid(1.5 * x), (x, dy, dx) => Activations.SwishBackward(x, dy, dx, 1.5f), "Swish");
    }

    [Fact]
    public void GeluExact_LengthSweep_WithinOneUlp()
    {
        AssertForwardWithinOneUlp("Gelu", (x, y) => Activations.Gelu(x, y, tanhApproximation: false), ExpectedGeluExact, seed: 207, scale: 12.0);
    }

    [Fact]
    public void GeluTanh_LengthSweep_WithinOneUlp()
    {
        AssertForwardWithinOneUlp("Gelu tanh", (x, y) => Activations.Gelu(x, y, tanhApproximation: true), ExpectedGeluTanh, seed: 208, scale: 12.0);
    }

    [Fact]
    public void GeluExactBackward_LengthSweep_WithinOneUlp()
    {
        AssertInputGradientWithinOneUlp(
            "GeluBackward",
            (x, dy, dx) => Activations.GeluBackward(x, dy, dx, tanhApproximation: false),
            x => NormalCdf(x) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI),
            seed: 209,
            scale: 12.0);
    }

    [Fact]
    public void GeluTanhBackward_LengthSweep_WithinOneUlp()
    {
        AssertInputGradientWithinOneUlp(
            "GeluBackward tanh",
            (x, dy, dx) => Activations.GeluBackward(x, dy, dx, tanhApproximation: true),
            ExpectedGeluTanhDerivative,
            seed: 210,
            scale: 12.0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gelu_Derivative_MatchesFiniteDifferences(bool tanhApproximation)
    {
        Func<double, double> forward = tanhApproximation ? ExpectedGeluTanh : ExpectedGeluExact;
        AssertDerivativeMatchesFiniteDifferences(
            forward, (x, dy, dx) => Activations.GeluBackward(x, dy, dx, tanhApproximation), tanhApproximation ? "Gelu tanh" : "Gelu");
    }

    /// <summary>
    /// The exact form computes Phi(x) as erfc(-x / sqrt 2) / 2, so a large negative x keeps a relative accuracy that
    /// 0.5 * (1 + erf(x / sqrt 2)) would lose to cancellation. -12 gives about -2.1e-32, still a normal float.
    /// </summary>
    [Fact]
    public void GeluExact_NegativeTail_KeepsRelativeAccuracy()
    {
        float[] x = [-5f, -8f, -10f, -12f, -13f];
        float[] y = new float[x.Length];

        Activations.Gelu(x, y, tanhApproximation: false);

        for (int i = 0; i < x.Length; i++)
        {
            FloatAccuracy.AssertWithinUlps(y[i], ExpectedGeluExact(x[i]), 1.0, $"Gelu({x[i]})");
            Assert.True(y[i] < 0, $"Gelu({x[i]}) is {y[i]}, expected a negative value.");
        }
    }

    [Fact]
    public void Gelu_MatchesReferenceInterpreter()
    {
        foreach (GeluApproximation approximation in new[] { GeluApproximation.None, GeluApproximation.Tanh })
        {
            bool tanhApproximation = approximation == GeluApproximation.Tanh;
            AssertMatchesReference(
                new GELULayer(approximation),
                (x, y) => Activations.Gelu(x, y, tanhApproximation),
                (x, y, dy, dx) => Activations.GeluBackward(x, dy, dx, tanhApproximation),
                $"Gelu {approximation}");
        }
    }

    [Fact]
    public void Swish_MatchesReferenceInterpreter()
    {
        AssertMatchesReference(
            new SwishLayer(1.5), (x, y) => Activations.Swish(x, y, 1.5f), (x, y, dy, dx) => Activations.SwishBackward(x, dy, dx, 1.5f), "Swish");
    }

    [Fact]
    public void Tanh_MatchesReferenceInterpreter()
    {
        AssertMatchesReference(
            new TanhLayer(), (x, y) => Activations.Tanh(x, y), (x, y, dy, dx) => Activations.TanhBackward(y, dy, dx), "Tanh", y => 2 * Math.Abs(y));
    }

    [Fact]
    public void Sigmoid_MatchesReferenceInterpreter()
    {
        AssertMatchesReference(
            new SigmoidLayer(), (x, y) => Activations.Sigmoid(x, y), (x, y, dy, dx) => Activations.SigmoidBackward(y, dy, dx), "Sigmoid", y => Math.Abs(1 - 2 * y));
    }

    [Fact]
    public void SmoothKernels_ShortSpans_ThrowWithParameterName()
    {
        float[] five = new float[5], four = new float[4];

        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Sigmoid(five, four)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Tanh(five, four)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Swish(five, four, 1f)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Gelu(five, four, false)).ParamName);
        var mismatch = Assert.Throws<ArgumentException>(() => Activations.SigmoidBackward(five, four, four));
        Assert.Equal("dy", mismatch.ParamName);
        Assert.Contains("dy has 4 elements, but y has 5", mismatch.Message);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Activations.TanhBackward(five, five, four)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => Activations.SwishBackward(five, four, five, 1f)).ParamName);
        var shortDx = Assert.Throws<ArgumentException>(() => Activations.GeluBackward(five, five, four, true));
        Assert.Equal("dx", shortDx.ParamName);
        Assert.Contains("dx has 4 elements, but dy.Length = 5 are required", shortDx.Message);
    }

    /// <summary>Returns the logistic sigmoid in double without overflow.</summary>
    internal static double ExpectedSigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));

    private static double NormalCdf(double x) => 0.5 * ReferenceMath.Erfc(-x / Math.Sqrt(2.0));

    private static double ExpectedGeluExact(double x) => x * NormalCdf(x);

    /// <summary>
    /// PyTorch's tanh form 0.5 x (1 + tanh(u)). Below x = -3 the sum cancels in double, so there the equal form
    /// x * sigmoid(2u) is used; at x = -3, 1 + tanh(u) is about 3e-3 and the cancellation costs under 1e-13 relative.
    /// </summary>
    private static double ExpectedGeluTanh(double x)
    {
        double u = SqrtTwoOverPi * (x + 0.044715 * x * x * x);
        return x >= -3 ? 0.5 * x * (1.0 + Math.Tanh(u)) : x * ExpectedSigmoid(2 * u);
    }

    private static double ExpectedGeluTanhDerivative(double x)
    {
        double u = SqrtTwoOverPi * (x + 0.044715 * x * x * x);
        double slope = SqrtTwoOverPi * (1.0 + 3 * 0.044715 * x * x);
        double gate = ExpectedSigmoid(2 * u);
        double gateSlope = gate * ExpectedSigmoid(-2 * u);
        return gateSlope == 0 ? gate : gate + 2 * x * gateSlope * slope;
    }

    /// <summary>Returns random values in [-scale, scale) with each special value planted at a random position when it fits.</summary>
    private static float[] Inputs(Random random, int length, double scale)
    {
        float[] values = FloatAccuracy.Uniform(random, length, scale);
        foreach (float special in SpecialValues)
        {
            if (length > 0)
            {
                values[random.Next(length)] = special;
            }
        }

        return values;
    }

    /// <summary>Runs a forward kernel over the length sweep, out of place and in place, against a double formula.</summary>
    private static void AssertForwardWithinOneUlp(
        string name, Action<float[], Span<float>> kernel, Func<double, double> expected, int seed, double scale)
    {
        var random = new Random(seed);
        foreach (int length in FloatAccuracy.SweepLengths())
        {
            float[] x = Inputs(random, length, scale);
            float[] y = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
            float[] inPlace = (float[])x.Clone();

            kernel(x, y.AsSpan(0, length));
            kernel(inPlace, inPlace);

            for (int i = 0; i < length; i++)
            {
                FloatAccuracy.AssertWithinUlps(y[i], expected(x[i]), 1.0, $"{name} length {length}, x[{i}] = {x[i]:R}");
                FloatAccuracy.AssertBitwiseEqual(y[i], inPlace[i], $"{name} in place, length {length}, x[{i}] = {x[i]:R}");
            }

            KernelTestData.AssertSentinelsIntact(y, length, $"{name} length {length}");
        }
    }

    /// <summary>Runs a backward kernel that reads the forward output, with dx separate and dx = dy, against a double formula.</summary>
    private static void AssertOutputGradient(
        string name, Action<float[], float[], Span<float>> kernel, Func<double, double, double> expected, int roundings, int seed, double outputScale)
    {
        var random = new Random(seed);
        foreach (int length in FloatAccuracy.SweepLengths())
        {
            float[] y = FloatAccuracy.Uniform(random, length, outputScale);
            if (length > 3)
            {
                y[0] = 1f;
                y[1] = -1f;
                y[2] = 0.99999994f;
            }

            float[] dy = FloatAccuracy.Uniform(random, length, 2.0);
            float[] dx = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
            float[] inPlace = (float[])dy.Clone();

            kernel(y, dy, dx.AsSpan(0, length));
            kernel(y, inPlace, inPlace);

            for (int i = 0; i < length; i++)
            {
                FloatAccuracy.AssertRoundings(dx[i], expected(y[i], dy[i]), roundings, $"{name} length {length}, y[{i}] = {y[i]:R}");
                FloatAccuracy.AssertBitwiseEqual(dx[i], inPlace[i], $"{name} in place, length {length}, element {i}");
            }

            KernelTestData.AssertSentinelsIntact(dx, length, $"{name} length {length}");
        }
    }

    /// <summary>
    /// Runs a backward kernel that reads the forward input, with dx separate and dx = dy, against dy times a double
    /// derivative; the kernel rounds dy * derivative once.
    /// </summary>
    private static void AssertInputGradientWithinOneUlp(
        string name, Action<float[], float[], Span<float>> kernel, Func<double, double> derivative, int seed, double scale)
    {
        var random = new Random(seed);
        foreach (int length in FloatAccuracy.SweepLengths())
        {
            float[] x = Inputs(random, length, scale);
            float[] dy = FloatAccuracy.Uniform(random, length, 2.0);
            float[] dx = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
            float[] inPlace = (float[])dy.Clone();

            kernel(x, dy, dx.AsSpan(0, length));
            kernel(x, inPlace, inPlace);

            for (int i = 0; i < length; i++)
            {
                if (float.IsInfinity(x[i]))
                {
                    // The derivative formulas have 0 * infinity at infinite inputs; only finite inputs are compared.
                    continue;
                }

                FloatAccuracy.AssertWithinUlps(dx[i], dy[i] * derivative(x[i]), 1.0, $"{name} length {length}, x[{i}] = {x[i]:R}");
                FloatAccuracy.AssertBitwiseEqual(dx[i], inPlace[i], $"{name} in place, length {length}, element {i}");
            }

            KernelTestData.AssertSentinelsIntact(dx, length, $"{name} length {length}");
        }
    }

    /// <summary>
    /// Compares the kernel's derivative (dy = 1) with central differences of the double forward formula, with step
    /// h = 1e-4. The truncation error h^2 |f'''| / 6 is about 1e-9 for these functions and the rounding error about
    /// 1e-16 / h = 1e-12, so a tolerance of 1e-6 plus the float rounding of the kernel's result is ample, and a wrong
    /// formula misses it by far.
    /// </summary>
    private static void AssertDerivativeMatchesFiniteDifferences(Func<double, double> forward, Action<float[], float[], Span<float>> backward, string name)
    {
        float[] x = Enumerable.Range(-80, 161).Select(i => i / 10f + 0.0123f).ToArray();
        float[] dy = Enumerable.Repeat(1f, x.Length).ToArray();
        float[] dx = new float[x.Length];

        backward(x, dy, dx);

        const double step = 1e-4;
        for (int i = 0; i < x.Length; i++)
        {
            double numeric = (forward(x[i] + step) - forward(x[i] - step)) / (2 * step);
            FloatAccuracy.AssertClose(dx[i], numeric, 1e-6 + 1e-7 * Math.Abs(numeric), $"{name} derivative at {x[i]}");
        }
    }

    /// <summary>
    /// Compares forward and backward with the reference interpreter in double on a 2 x 3 x 4 x 5 batch. The kernels
    /// get dy rounded to float, so outputs must be within 1 ulp of the double output and input gradients within
    /// 4 ulps of the double gradient (dy's rounding and the gradient arithmetic). A gradient computed from the float
    /// forward output y also inherits y's rounding, half an ulp of y times |d(derivative)/dy|, which
    /// <paramref name="outputSensitivity"/> returns; near saturation that dominates (tanh at 0.9987 loses over 200 ulps).
    /// </summary>
    private static void AssertMatchesReference(
        LayerDescription layer,
        Action<float[], float[]> forward,
        Action<float[], float[], float[], float[]> backward,
        string name,
        Func<double, double>? outputSensitivity = null)
    {
        var shape = new ReferenceShape(3, 4, 5);
        const int batchSize = 2;
        float[] x = FloatAccuracy.Uniform(new Random(211), batchSize * shape.Size, 4.0);
        OracleResult oracle = ReferenceOracle.Run(layer, shape, batchSize, [], x, seed: 212);
        float[] y = new float[x.Length];
        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);

        forward(x, y);
        backward(x, y, dy, dy);

        for (int i = 0; i < x.Length; i++)
        {
            FloatAccuracy.AssertWithinUlps(y[i], oracle.Output[i], 1.0, $"{name} output {i}, x = {x[i]:R}");
            double inherited = outputSensitivity is null ? 0.0 : Math.Abs(oracle.OutputGradient[i]) * outputSensitivity(y[i]) * 0.5 * FloatAccuracy.Ulp(y[i]);
            double allowed = 4.0 * FloatAccuracy.Ulp(oracle.InputGradient[i]) + inherited;
            FloatAccuracy.AssertClose(dy[i], oracle.InputGradient[i], allowed, $"{name} input gradient {i}, x = {x[i]:R}");
        }
    }
}

using ModelCompiler.Kernels;
using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>
/// LeakyReLU and PReLU. Their outputs are a comparison and at most one float product, so they are checked bit for
/// bit against the same float expression, and against the reference interpreter for the PReLU gradients.
/// </summary>
public class RectifierActivationsTests
{
    private static readonly float[] SpecialValues =
        [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, 1000f, -1000f];

    private static readonly float[] Slopes = [0.01f, 0f, 0.2f, 1.5f, -0.5f];

    [Fact]
    public void LeakyRelu_LengthSweep_MatchesDefinition()
    {
        var random = new Random(101);
        foreach (float slope in Slopes)
        {
            foreach (int length in FloatAccuracy.SweepLengths())
            {
                float[] x = InputsWithSpecialValues(random, length);
                float[] y = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);

                Activations.LeakyRelu(x, y.AsSpan(0, length), slope);

                for (int i = 0; i < length; i++)
                {
                    float expected = x[i] > 0 ? x[i] : x[i] * slope;
                    FloatAccuracy.AssertBitwiseEqual(expected, y[i], $"LeakyRelu slope {slope}, length {length}, x[{i}] = {x[i]}");
                }

                KernelTestData.AssertSentinelsIntact(y, length, $"LeakyRelu length {length}");
            }
        }
    }

    [Fact]
    public void LeakyRelu_SameSpan_MatchesSeparateOutput()
    {
        var random = new Random(102);
        foreach (int length in FloatAccuracy.SweepLengths())
        {
            float[] x = InputsWithSpecialValues(random, length);
            float[] separate = new float[length];
            float[] inPlace = (float[])x.Clone();

            Activations.LeakyRelu(x, separate, 0.1f);
            Activations.LeakyRelu(inPlace, inPlace, 0.1f);

            for (int i = 0; i < length; i++)
            {
                FloatAccuracy.AssertBitwiseEqual(separate[i], inPlace[i], $"LeakyRelu in place, length {length}, element {i}");
            }
        }
    }

    [Fact]
    public void LeakyReluBackward_LengthSweep_MatchesDefinition()
    {
        var random = new Random(103);
        foreach (float slope in Slopes)
        {
            foreach (int length in FloatAccuracy.SweepLengths())
            {
                float[] source = InputsWithSpecialValues(random, length);
                float[] dy = KernelTestData.RandomFloats(random, length);
                float[] dx = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
                float[] inPlace = (float[])dy.Clone();

                Activations.LeakyReluBackward(source, dy, dx.AsSpan(0, length), slope);
                Activations.LeakyReluBackward(source, inPlace, inPlace, slope);

                for (int i = 0; i < length; i++)
                {
                    // NaN and 0 take the slope branch, as in PyTorch's leaky_relu_backward.
                    float expected = source[i] > 0 ? dy[i] : dy[i] * slope;
                    FloatAccuracy.AssertBitwiseEqual(expected, dx[i], $"LeakyReluBackward slope {slope}, length {length}, source[{i}] = {source[i]}");
                    FloatAccuracy.AssertBitwiseEqual(expected, inPlace[i], $"LeakyReluBackward in place, length {length}, source[{i}] = {source[i]}");
                }

                KernelTestData.AssertSentinelsIntact(dx, length, $"LeakyReluBackward length {length}");
            }
        }
    }

    [Fact]
    public void LeakyRelu_MatchesReferenceInterpreter()
    {
        var layer = new LeakyReLULayer(0.125);
        var shape = new ReferenceShape(3, 5, 7);
        const int batchSize = 4;
        float[] x = FloatAccuracy.Uniform(new Random(104), batchSize * shape.Size, 2.0);
        OracleResult oracle = ReferenceOracle.Run(layer, shape, batchSize, [], x, seed: 105);
        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);
        float[] y = new float[x.Length];

        Activations.LeakyRelu(x, y, 0.125f);
        Activations.LeakyReluBackward(x, dy, dy, 0.125f);

        for (int i = 0; i < x.Length; i++)
        {
            // A product with 0.125 is exact, so y equals the double output; dx has only dy's rounding.
            Assert.Equal(oracle.Output[i], y[i]);
            FloatAccuracy.AssertRoundings(dy[i], oracle.InputGradient[i], 1, $"LeakyReluBackward element {i}");
        }
    }

    public static TheoryData<int, int, int> PReluShapes => new()
    {
        { 1, 1, 1 },
        { 3, 4, 1 },
        { 2, 3, 3 },
        { 2, 2, 4 },
        { 3, 2, 17 },
        { 2, 3, 33 },
        { 1, 1, 70 },
        { 0, 3, 5 },
        { 2, 0, 5 },
        { 2, 3, 0 },
    };

    [Theory]
    [MemberData(nameof(PReluShapes))]
    public void PRelu_Shapes_MatchDefinition(int batchSize, int channels, int planeSize)
    {
        var random = new Random(106 + batchSize * 100 + channels * 10 + planeSize);
        int length = batchSize * channels * planeSize;
        float[] x = InputsWithSpecialValues(random, length);
        float[] slopes = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] y = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
        float[] inPlace = (float[])x.Clone();

        Activations.PRelu(x, y, slopes, batchSize, channels, planeSize);
        Activations.PRelu(inPlace, inPlace, slopes, batchSize, channels, planeSize);

        for (int i = 0; i < length; i++)
        {
            float slope = slopes[i / planeSize % channels];
            float expected = x[i] > 0 ? x[i] : x[i] * slope;
            FloatAccuracy.AssertBitwiseEqual(expected, y[i], $"PRelu {batchSize}x{channels}x{planeSize}, x[{i}] = {x[i]}");
            FloatAccuracy.AssertBitwiseEqual(expected, inPlace[i], $"PRelu in place {batchSize}x{channels}x{planeSize}, x[{i}] = {x[i]}");
        }

        KernelTestData.AssertSentinelsIntact(y, length, "PRelu");
    }

    /// <summary>
    /// dx is one float product, so it must match bit for bit. Each slope gradient is a double sum of exact float
    /// products added to the initial value with one rounding, so it is within half an ulp of the double sum. The test
    /// allows one ulp.
    /// </summary>
    [Theory]
    [MemberData(nameof(PReluShapes))]
    public void PReluBackward_Shapes_MatchDefinitionAndAccumulate(int batchSize, int channels, int planeSize)
    {
        var random = new Random(107 + batchSize * 100 + channels * 10 + planeSize);
        int length = batchSize * channels * planeSize;
        float[] x = FloatAccuracy.Uniform(random, length, 1.0);
        for (int i = 0; i < length; i += 5)
        {
            x[i] = 0f;
        }

        float[] dy = FloatAccuracy.Uniform(random, length, 1.0);
        float[] slopes = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] slopeGradients = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] initialSlopeGradients = (float[])slopeGradients.Clone();
        float[] dx = (float[])dy.Clone();

        Activations.PReluBackward(x, dx, dx, slopes, slopeGradients, batchSize, channels, planeSize);

        var expectedSlopeGradients = initialSlopeGradients.Select(value => (double)value).ToArray();
        for (int i = 0; i < length; i++)
        {
            int channel = i / planeSize % channels;
            bool positive = x[i] > 0;
            FloatAccuracy.AssertBitwiseEqual(positive ? dy[i] : dy[i] * slopes[channel], dx[i], $"PReluBackward dx[{i}], x = {x[i]}");
            if (!positive)
            {
                expectedSlopeGradients[channel] += (double)dy[i] * x[i];
            }
        }

        for (int c = 0; c < channels; c++)
        {
            FloatAccuracy.AssertWithinUlps(slopeGradients[c], expectedSlopeGradients[c], 1.0, $"PReluBackward slopeGradients[{c}]");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PRelu_MatchesReferenceInterpreter(bool shared)
    {
        var layer = new PReLULayer(shared);
        var shape = new ReferenceShape(3, 4, 5);
        const int batchSize = 3;
        var random = new Random(shared ? 108 : 109);
        float[] x = FloatAccuracy.Uniform(random, batchSize * shape.Size, 2.0);
        int slopeCount = shared ? 1 : shape.Channels;
        float[] slopes = FloatAccuracy.Uniform(random, slopeCount, 0.5);
        OracleResult oracle = ReferenceOracle.Run(layer, shape, batchSize, slopes.Select(s => (double)s).ToArray(), x, seed: 110);
        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);
        float[] y = new float[x.Length];
        float[] slopeGradients = new float[slopeCount];
        int channels = shared ? 1 : shape.Channels;
        int planeSize = shared ? shape.Size : shape.Height * shape.Width;

        Activations.PRelu(x, y, slopes, batchSize, channels, planeSize);
        Activations.PReluBackward(x, dy, dy, slopes, slopeGradients, batchSize, channels, planeSize);

        for (int i = 0; i < x.Length; i++)
        {
            // y is one float product of float inputs; dx adds dy's rounding to it.
            FloatAccuracy.AssertRoundings(y[i], oracle.Output[i], 1, $"PRelu output {i}");
            FloatAccuracy.AssertRoundings(dy[i], oracle.InputGradient[i], 2, $"PReluBackward dx {i}");
        }

        for (int c = 0; c < slopeCount; c++)
        {
            // Each term has dy's rounding, and the sum its final rounding; the bound uses the sum of magnitudes.
            double magnitude = Enumerable.Range(0, x.Length)
                .Where(i => (shared ? 0 : i / planeSize % channels) == c && x[i] <= 0)
                .Sum(i => Math.Abs(oracle.OutputGradient[i] * x[i]));
            FloatAccuracy.AssertClose(slopeGradients[c], oracle.ParameterGradients[c], KernelTestData.RoundingBound(2, magnitude) + 1e-12, $"slope gradient {c}");
        }
    }

    [Fact]
    public void RectifierKernels_ShortSpans_ThrowWithParameterName()
    {
        float[] twelve = new float[12], eleven = new float[11], two = new float[2], three = new float[3];

        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.LeakyRelu(twelve, eleven, 0.1f)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => Activations.LeakyReluBackward(twelve, eleven, twelve, 0.1f)).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Activations.LeakyReluBackward(twelve, twelve, eleven, 0.1f)).ParamName);

        var shortX = Assert.Throws<ArgumentException>(() => Activations.PRelu(eleven, twelve, three, 2, 3, 2));
        Assert.Equal("x", shortX.ParamName);
        Assert.Contains("x has 11 elements, but batchSize * channels * planeSize = 12 are required", shortX.Message);
        Assert.Equal("slopes", Assert.Throws<ArgumentException>(() => Activations.PRelu(twelve, twelve, two, 2, 3, 2)).ParamName);
        Assert.Equal("slopeGradients", Assert.Throws<ArgumentException>(
            () => Activations.PReluBackward(twelve, twelve, twelve, three, two, 2, 3, 2)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(
            () => Activations.PReluBackward(twelve, eleven, twelve, three, three, 2, 3, 2)).ParamName);
        Assert.Equal("channels", Assert.Throws<ArgumentOutOfRangeException>(
            () => Activations.PRelu(twelve, twelve, three, 2, -3, 2)).ParamName);
    }

    /// <summary>Returns random values in [-1, 1) with each special value planted at a random position when it fits.</summary>
    private static float[] InputsWithSpecialValues(Random random, int length)
    {
        float[] values = KernelTestData.RandomFloats(random, length);
        foreach (float special in SpecialValues)
        {
            if (length > 0)
            {
                values[random.Next(length)] = special;
            }
        }

        return values;
    }
}

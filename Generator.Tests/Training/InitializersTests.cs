using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Training;

public class InitializersTests
{
    // Sample size of the statistical tests. Every tolerance below is 5 standard errors of the estimate at this
    // size: a correct initializer fails one such check with probability below 1e-6 (two-sided normal tail at 5).
    private const int SampleCount = 100_000;

    private static (double Mean, double Variance) Moments(float[] weights)
    {
        double mean = weights.Average(w => (double)w);
        double variance = weights.Select(w => (w - mean) * (w - mean)).Average();
        return (mean, variance);
    }

    // Normal samples with std s: the mean has standard error s / sqrt(n) and the sample std about s / sqrt(2n).
    private static void AssertNormal(float[] weights, double expectedStd)
    {
        (double mean, double variance) = Moments(weights);

        Assert.Equal(0.0, mean, 5 * expectedStd / Math.Sqrt(weights.Length));
        Assert.Equal(expectedStd, Math.Sqrt(variance), 5 * expectedStd / Math.Sqrt(2.0 * weights.Length));
    }

    // Uniform samples on [-b, b): every sample lies within the bound, and with 100000 samples the extremes come
    // within b / 1000 of it unless an event of probability exp(-50) occurs. The variance b^2 / 3 has standard
    // error sqrt(4/45) b^2 / sqrt(n), because x^2 has variance E[x^4] - E[x^2]^2 = b^4 / 5 - b^4 / 9. Each of 10
    // equal-width bins expects n / 10 samples with standard error sqrt(n x 0.1 x 0.9).
    private static void AssertUniform(float[] weights, double bound)
    {
        float floatBound = (float)bound;
        float min = weights.Min();
        float max = weights.Max();
        Assert.InRange(min, -floatBound, -floatBound + floatBound * 1e-3f);
        Assert.InRange(max, floatBound - floatBound * 1e-3f, floatBound);

        (double mean, double variance) = Moments(weights);
        int n = weights.Length;
        Assert.Equal(0.0, mean, 5 * bound / Math.Sqrt(3.0 * n));
        Assert.Equal(bound * bound / 3.0, variance, 5 * Math.Sqrt(4.0 / 45.0) * bound * bound / Math.Sqrt(n));

        const int Bins = 10;
        int[] counts = new int[Bins];
        foreach (float w in weights)
        {
            int bin = (int)((w + bound) / (2 * bound) * Bins);
            counts[Math.Clamp(bin, 0, Bins - 1)]++;
        }

        double expectedCount = (double)n / Bins;
        double countTolerance = 5 * Math.Sqrt(n * 0.1 * 0.9);
        for (int bin = 0; bin < Bins; bin++)
        {
            Assert.Equal(expectedCount, counts[bin], countTolerance);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(800)]
    public void KaimingNormalHasHeStd(int fanIn)
    {
        float[] weights = new float[SampleCount];

        Initializers.KaimingNormal(weights, fanIn, new DeterministicRandom(31UL));

        AssertNormal(weights, Math.Sqrt(2.0 / fanIn));
    }

    [Fact]
    public void KaimingNormalSameSeedSameWeights()
    {
        float[] first = new float[100];
        float[] second = new float[100];

        Initializers.KaimingNormal(first, 9, new DeterministicRandom(4UL));
        Initializers.KaimingNormal(second, 9, new DeterministicRandom(4UL));

        Assert.Equal(first, second);
    }

    [Fact]
    public void KaimingNormalScalesGaussian()
    {
        float[] weights = new float[4];
        var reference = new DeterministicRandom(6UL);

        Initializers.KaimingNormal(weights, 8, new DeterministicRandom(6UL));

        // sqrt(2 / 8) = 0.5
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.Equal((float)(0.5 * reference.NextGaussian()), weights[i]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void KaimingNormalNonPositiveFanInRejected(int fanIn)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.KaimingNormal(new float[4], fanIn, new DeterministicRandom(1UL)));

        Assert.Equal("fanIn", exception.ParamName);
    }

    [Theory]
    [InlineData(0.01, 9)]
    [InlineData(0.2, 50)]
    [InlineData(1.0, 800)]
    public void KaimingNormalLeakyHasGainStd(double negativeSlope, int fanIn)
    {
        float[] weights = new float[SampleCount];

        Initializers.KaimingNormal(weights, fanIn, negativeSlope, new DeterministicRandom(32UL));

        double gain = Math.Sqrt(2.0 / (1.0 + negativeSlope * negativeSlope));
        AssertNormal(weights, gain / Math.Sqrt(fanIn));
    }

    [Fact]
    public void KaimingNormalZeroSlopeMatchesRelu()
    {
        float[] relu = new float[1000];
        float[] leaky = new float[1000];

        Initializers.KaimingNormal(relu, 27, new DeterministicRandom(8UL));
        Initializers.KaimingNormal(leaky, 27, 0.0, new DeterministicRandom(8UL));

        Assert.Equal(relu, leaky);
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.0, 75)]
    [InlineData(0.2, 800)]
    public void KaimingUniformHasGainBound(double negativeSlope, int fanIn)
    {
        float[] weights = new float[SampleCount];

        Initializers.KaimingUniform(weights, fanIn, negativeSlope, new DeterministicRandom(33UL));

        double gain = Math.Sqrt(2.0 / (1.0 + negativeSlope * negativeSlope));
        AssertUniform(weights, gain * Math.Sqrt(3.0 / fanIn));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void XavierNormalHasFanInStd(int fanIn)
    {
        float[] weights = new float[SampleCount];

        Initializers.XavierNormal(weights, fanIn, new DeterministicRandom(34UL));

        AssertNormal(weights, 1.0 / Math.Sqrt(fanIn));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void XavierUniformHasFanInBound(int fanIn)
    {
        float[] weights = new float[SampleCount];

        Initializers.XavierUniform(weights, fanIn, new DeterministicRandom(35UL));

        AssertUniform(weights, Math.Sqrt(3.0 / fanIn));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(784, 100)]
    public void GlorotNormalHasFanSumStd(int fanIn, int fanOut)
    {
        float[] weights = new float[SampleCount];

        Initializers.GlorotNormal(weights, fanIn, fanOut, new DeterministicRandom(36UL));

        AssertNormal(weights, Math.Sqrt(2.0 / (fanIn + fanOut)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(784, 100)]
    public void GlorotUniformHasFanSumBound(int fanIn, int fanOut)
    {
        float[] weights = new float[SampleCount];

        Initializers.GlorotUniform(weights, fanIn, fanOut, new DeterministicRandom(37UL));

        AssertUniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)));
    }

    [Fact]
    public void GlorotLargeFansDoNotOverflow()
    {
        float[] weights = new float[SampleCount];

        Initializers.GlorotNormal(weights, int.MaxValue, int.MaxValue, new DeterministicRandom(38UL));

        AssertNormal(weights, Math.Sqrt(2.0 / (2.0 * int.MaxValue)));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.05)]
    [InlineData(1.0)]
    public void GaussianHasGivenStd(double standardDeviation)
    {
        float[] weights = new float[SampleCount];

        Initializers.Gaussian(weights, standardDeviation, new DeterministicRandom(39UL));

        AssertNormal(weights, standardDeviation);
    }

    [Fact]
    public void GaussianZeroStdGivesZeros()
    {
        float[] weights = [1f, 2f, 3f];

        Initializers.Gaussian(weights, 0.0, new DeterministicRandom(40UL));

        Assert.All(weights, w => Assert.Equal(0f, w));
    }

    [Fact]
    public void ConstantFillsValue()
    {
        float[] weights = new float[7];

        Initializers.Constant(weights, 0.01);

        Assert.All(weights, w => Assert.Equal(0.01f, w));
    }

    [Theory]
    [InlineData(Initializer.KaimingNormal)]
    [InlineData(Initializer.KaimingUniform)]
    [InlineData(Initializer.XavierNormal)]
    [InlineData(Initializer.XavierUniform)]
    [InlineData(Initializer.GlorotNormal)]
    [InlineData(Initializer.GlorotUniform)]
    [InlineData(Initializer.Gaussian)]
    [InlineData(Initializer.Constant)]
    public void InitializeSameSeedSameWeights(Initializer kind)
    {
        float[] first = new float[257];
        float[] second = new float[257];

        Initializers.Initialize(first, kind, 25, 10, 0.1, 0.05, new DeterministicRandom(41UL));
        Initializers.Initialize(second, kind, 25, 10, 0.1, 0.05, new DeterministicRandom(41UL));

        Assert.Equal(first, second);
        Assert.Contains(first, w => w != 0f);
    }

    [Fact]
    public void InitializeDifferentSeedsDifferentWeights()
    {
        float[] first = new float[100];
        float[] second = new float[100];

        Initializers.Initialize(first, Initializer.GlorotUniform, 25, 10, 0.0, 0.01, new DeterministicRandom(1UL));
        Initializers.Initialize(second, Initializer.GlorotUniform, 25, 10, 0.0, 0.01, new DeterministicRandom(2UL));

        Assert.NotEqual(first, second);
    }

    // Each row pairs an Initialize call with the direct call it must dispatch to, with fanIn 25, fanOut 10,
    // negativeSlope 0.1 and scale 0.05.
    public static TheoryData<Initializer, Action<float[], DeterministicRandom>> DirectCalls => new()
    {
        { Initializer.KaimingNormal, (w, r) => Initializers.KaimingNormal(w, 25, 0.1, r) },
        { Initializer.KaimingUniform, (w, r) => Initializers.KaimingUniform(w, 25, 0.1, r) },
        { Initializer.XavierNormal, (w, r) => Initializers.XavierNormal(w, 25, r) },
        { Initializer.XavierUniform, (w, r) => Initializers.XavierUniform(w, 25, r) },
        { Initializer.GlorotNormal, (w, r) => Initializers.GlorotNormal(w, 25, 10, r) },
        { Initializer.GlorotUniform, (w, r) => Initializers.GlorotUniform(w, 25, 10, r) },
        { Initializer.Gaussian, (w, r) => Initializers.Gaussian(w, 0.05, r) },
        { Initializer.Constant, (w, _) => Initializers.Constant(w, 0.05) },
    };

    [Theory]
    [MemberData(nameof(DirectCalls))]
    public void InitializeMatchesDirectCall(Initializer kind, Action<float[], DeterministicRandom> directCall)
    {
        float[] dispatched = new float[64];
        float[] direct = new float[64];

        Initializers.Initialize(dispatched, kind, 25, 10, 0.1, 0.05, new DeterministicRandom(42UL));
        directCall(direct, new DeterministicRandom(42UL));

        Assert.Equal(direct, dispatched);
    }

    [Fact]
    public void InitializeConstantDrawsNoSamples()
    {
        var random = new DeterministicRandom(43UL);
        var reference = new DeterministicRandom(43UL);

        Initializers.Initialize(new float[10], Initializer.Constant, 25, 10, 0.0, 0.01, random);

        Assert.Equal(reference.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void InitializeDefaultRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.Initialize(new float[4], Initializer.Default, 25, 10, 0.0, 0.01, new DeterministicRandom(1UL)));

        Assert.Equal("kind", exception.ParamName);
        Assert.Contains("Initializer.Default cannot be applied directly", exception.Message);
    }

    [Fact]
    public void InitializeUndefinedKindRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.Initialize(new float[4], (Initializer)99, 25, 10, 0.0, 0.01, new DeterministicRandom(1UL)));

        Assert.Equal("kind", exception.ParamName);
        Assert.Contains("99 is not a defined Initializer value", exception.Message);
    }

    [Theory]
    [InlineData(0, 10, "fanIn")]
    [InlineData(-1, 10, "fanIn")]
    [InlineData(25, 0, "fanOut")]
    [InlineData(25, -7, "fanOut")]
    public void InitializeNonPositiveFanRejected(int fanIn, int fanOut, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.Initialize(new float[4], Initializer.KaimingNormal, fanIn, fanOut, 0.0, 0.01, new DeterministicRandom(1UL)));

        Assert.Equal(parameterName, exception.ParamName);
        Assert.Contains("expected a positive number of connections", exception.Message);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InitializeInvalidScaleRejected(double scale)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.Initialize(new float[4], Initializer.Gaussian, 25, 10, 0.0, scale, new DeterministicRandom(1UL)));

        Assert.Equal("scale", exception.ParamName);
        Assert.Contains("expected a finite value of at least 0", exception.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteNegativeSlopeRejected(double negativeSlope)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.KaimingUniform(new float[4], 25, negativeSlope, new DeterministicRandom(1UL)));

        Assert.Equal("negativeSlope", exception.ParamName);
    }

    [Fact]
    public void NegativeGaussianStdRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.Gaussian(new float[4], -1.0, new DeterministicRandom(1UL)));

        Assert.Equal("standardDeviation", exception.ParamName);
    }

    [Fact]
    public void InfiniteConstantRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.Constant(new float[4], double.PositiveInfinity));

        Assert.Equal("value", exception.ParamName);
    }

    [Fact]
    public void GlorotNonPositiveFanOutRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.GlorotUniform(new float[4], 25, 0, new DeterministicRandom(1UL)));

        Assert.Equal("fanOut", exception.ParamName);
    }
}

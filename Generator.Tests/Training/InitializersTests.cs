using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Training;

public class InitializersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(800)]
    public void KaimingNormalHasHeStd(int fanIn)
    {
        const int Count = 100_000;
        float[] weights = new float[Count];

        Initializers.KaimingNormal(weights, fanIn, new DeterministicRandom(31UL));

        double expectedStd = Math.Sqrt(2.0 / fanIn);
        double mean = weights.Average(w => (double)w);
        double std = Math.Sqrt(weights.Select(w => (w - mean) * (w - mean)).Average());

        // Standard errors for n = 100000 normal samples: std / sqrt(n) for the mean and about std / sqrt(2n) for
        // the sample standard deviation. The tolerances are 5 standard errors.
        Assert.Equal(0.0, mean, 5 * expectedStd / Math.Sqrt(Count));
        Assert.Equal(expectedStd, std, 5 * expectedStd / Math.Sqrt(2.0 * Count));
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
}

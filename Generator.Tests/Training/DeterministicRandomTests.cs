using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Training;

public class DeterministicRandomTests
{
    // Expected values come from an independent Python implementation of SplitMix64 seeding and xoshiro256**.
    // That SplitMix64 reproduces the Rosetta Code task "Pseudo-random numbers/Splitmix64" for seed 1234567.
    [Theory]
    [InlineData(0UL, new ulong[] { 11091344671253066420, 13793997310169335082, 1900383378846508768, 7684712102626143532 })]
    [InlineData(42UL, new ulong[] { 1546998764402558742, 6990951692964543102, 12544586762248559009, 17057574109182124193 })]
    public void UInt64SequencePinned(ulong seed, ulong[] expected)
    {
        var random = new DeterministicRandom(seed);

        ulong[] actual = expected.Select(_ => random.NextUInt64()).ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void UniformValuesPinned()
    {
        var random = new DeterministicRandom(7UL);

        Assert.Equal(0.7005764821796896, random.NextDouble());
        Assert.Equal(0.2787512294737843, random.NextDouble());
        Assert.Equal(0.8396274447441101f, random.NextSingle());
        Assert.Equal(0.9810976982116699f, random.NextSingle());
    }

    [Fact]
    public void NextIntPinned()
    {
        var random = new DeterministicRandom(7UL);

        int[] actual = Enumerable.Range(0, 8).Select(_ => random.NextInt(10)).ToArray();

        Assert.Equal([7, 2, 8, 9, 9, 8, 0, 1], actual);
    }

    [Fact]
    public void GaussianValuesPinned()
    {
        var random = new DeterministicRandom(42UL);

        // Math.Log comes from the platform's math library and may differ in the last bit, hence the tolerance.
        Assert.Equal(-0.7262191382447857, random.NextGaussian(), 1e-13);
        Assert.Equal(-0.21119691823195985, random.NextGaussian(), 1e-13);
        Assert.Equal(0.2216227015035933, random.NextGaussian(), 1e-13);
        Assert.Equal(0.5227716877560146, random.NextGaussian(), 1e-13);
    }

    [Fact]
    public void SameSeedSameSequence()
    {
        var first = new DeterministicRandom(123UL);
        var second = new DeterministicRandom(123UL);

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(first.NextUInt64(), second.NextUInt64());
            Assert.Equal(first.NextGaussian(), second.NextGaussian());
            Assert.Equal(first.NextInt(1000), second.NextInt(1000));
        }
    }

    [Fact]
    public void DifferentSeedsDiffer()
    {
        var first = new DeterministicRandom(1UL);
        var second = new DeterministicRandom(2UL);

        Assert.NotEqual(first.NextUInt64(), second.NextUInt64());
    }

    [Fact]
    public void SignedSeedMatchesUnsigned()
    {
        var signed = new DeterministicRandom(-1L);
        var unsigned = new DeterministicRandom(ulong.MaxValue);

        Assert.Equal(unsigned.NextUInt64(), signed.NextUInt64());
    }

    [Fact]
    public void NormalIsRoundedGaussian()
    {
        var forNormal = new DeterministicRandom(9UL);
        var forGaussian = new DeterministicRandom(9UL);

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal((float)forGaussian.NextGaussian(), forNormal.NextNormal());
        }
    }

    [Fact]
    public void UniformValuesInUnitInterval()
    {
        var random = new DeterministicRandom(3UL);

        for (int i = 0; i < 100_000; i++)
        {
            Assert.InRange(random.NextDouble(), 0.0, Math.BitDecrement(1.0));
            Assert.InRange(random.NextSingle(), 0f, MathF.BitDecrement(1f));
        }
    }

    [Fact]
    public void GaussianMomentsOverManyDraws()
    {
        const int Draws = 100_000;
        var random = new DeterministicRandom(2024UL);
        double[] samples = new double[Draws];
        for (int i = 0; i < Draws; i++)
        {
            samples[i] = random.NextGaussian();
        }

        double mean = samples.Average();
        double standardDeviation = Math.Sqrt(samples.Select(x => (x - mean) * (x - mean)).Average());

        // Standard errors for n = 100000 standard normal draws: 1 / sqrt(n) = 0.0032 for the mean and about
        // 1 / sqrt(2n) = 0.0022 for the standard deviation. The tolerances are 5 standard errors.
        Assert.Equal(0.0, mean, 0.016);
        Assert.Equal(1.0, standardDeviation, 0.011);
    }

    [Fact]
    public void NextIntUniformAndInRange()
    {
        const int Draws = 300_000;
        var random = new DeterministicRandom(77UL);
        int[] counts = new int[3];
        for (int i = 0; i < Draws; i++)
        {
            counts[random.NextInt(3)]++;
        }

        // Expected 100000 per value with standard deviation sqrt(300000 x 1/3 x 2/3) = 258. The tolerance is 5 of those.
        Assert.All(counts, count => Assert.InRange(count, 100_000 - 1290, 100_000 + 1290));
    }

    [Fact]
    public void NextIntEdgeRanges()
    {
        var random = new DeterministicRandom(8UL);

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(0, random.NextInt(1));
            Assert.InRange(random.NextInt(int.MaxValue), 0, int.MaxValue - 1);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void NextIntNonPositiveRejected(int maxExclusive)
    {
        var random = new DeterministicRandom(8UL);

        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(maxExclusive));
    }
}

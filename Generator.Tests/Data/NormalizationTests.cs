using ModelCompiler.Data;
using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Data;

public class NormalizationTests
{
    private const int Count = 40;
    private const int Channels = 3;
    private const int Height = 5;
    private const int Width = 6;

    // Channel c is drawn around mean 100 x c + 10 with standard deviation c + 0.5, so that each channel needs its
    // own statistics and the means are large next to the spread.
    private static float[] CreateData(ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var data = new float[Count * Channels * Height * Width];
        int planeSize = Height * Width;
        for (int example = 0; example < Count; example++)
        {
            for (int channel = 0; channel < Channels; channel++)
            {
                for (int i = 0; i < planeSize; i++)
                {
                    data[(example * Channels + channel) * planeSize + i] = (float)(100 * channel + 10 + (channel + 0.5) * random.NextGaussian());
                }
            }
        }

        return data;
    }

    private static (double Mean, double StandardDeviation) Moments(float[] data, int channel)
    {
        int planeSize = Height * Width;
        var values = new List<double>();
        for (int example = 0; example < Count; example++)
        {
            values.AddRange(data.AsSpan((example * Channels + channel) * planeSize, planeSize).ToArray().Select(v => (double)v));
        }

        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();
        return (mean, Math.Sqrt(variance));
    }

    [Fact]
    public void ComputeMatchesDoubleReference()
    {
        float[] data = CreateData(seed: 1);

        ChannelStatistics statistics = Normalization.Compute(data, Count, Channels, Height, Width);

        Assert.Equal(Channels, statistics.Channels);
        for (int channel = 0; channel < Channels; channel++)
        {
            (double mean, double standardDeviation) = Moments(data, channel);
            // The statistics are stored as float, which rounds them by a relative 2^-24 (6e-8).
            Assert.Equal(mean, statistics.Means[channel], Math.Abs(mean) * 1e-7);
            Assert.Equal(standardDeviation, statistics.StandardDeviations[channel], standardDeviation * 1e-7);
        }
    }

    [Fact]
    public void ApplyGivesZeroMeanUnitStd()
    {
        float[] data = CreateData(seed: 2);
        ChannelStatistics statistics = Normalization.Compute(data, Count, Channels, Height, Width);

        Normalization.Apply(data, Count, Channels, Height, Width, statistics);

        // Each normalized value carries a float rounding error of about 2^-24 times its magnitude (a few units),
        // so means and standard deviations over 1200 values are off by well under 1e-5.
        for (int channel = 0; channel < Channels; channel++)
        {
            (double mean, double standardDeviation) = Moments(data, channel);
            Assert.Equal(0.0, mean, 1e-5);
            Assert.Equal(1.0, standardDeviation, 1e-5);
        }
    }

    [Fact]
    public void ApplyUsesGivenStatisticsOnOtherSet()
    {
        float[] testData = CreateData(seed: 3);
        float[] original = (float[])testData.Clone();
        var statistics = new ChannelStatistics([10f, 110f, 210f], [0.5f, 2f, 4f]);

        Normalization.Apply(testData, Count, Channels, Height, Width, statistics);

        int planeSize = Height * Width;
        for (int i = 0; i < testData.Length; i++)
        {
            int channel = i / planeSize % Channels;
            float expected = (original[i] - statistics.Means[channel]) / statistics.StandardDeviations[channel];
            Assert.Equal(expected, testData[i]);
        }
    }

    [Fact]
    public void ConstantChannelRejected()
    {
        float[] data = CreateData(seed: 4);
        int planeSize = Height * Width;
        for (int example = 0; example < Count; example++)
        {
            data.AsSpan((example * Channels + 1) * planeSize, planeSize).Fill(0.5f);
        }

        var exception = Assert.Throws<ArgumentException>(() => Normalization.Compute(data, Count, Channels, Height, Width));

        Assert.Contains("Channel 1 has standard deviation 0", exception.Message);
        Assert.Contains("mean 0.5", exception.Message);
    }

    [Fact]
    public void NaNChannelRejected()
    {
        float[] data = CreateData(seed: 5);
        data[Height * Width * 2 + 7] = float.NaN;

        var exception = Assert.Throws<ArgumentException>(() => Normalization.Compute(data, Count, Channels, Height, Width));

        Assert.Contains("Channel 2 contains NaN", exception.Message);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void InvalidStandardDeviationRejected(float standardDeviation)
    {
        var exception = Assert.Throws<ArgumentException>(() => new ChannelStatistics([0f, 0f], [1f, standardDeviation]));

        Assert.Contains("standard deviation of channel 1", exception.Message);
    }

    [Fact]
    public void ChannelCountMismatchRejected()
    {
        float[] data = CreateData(seed: 6);
        var statistics = new ChannelStatistics([0f], [1f]);

        var exception = Assert.Throws<ArgumentException>(() => Normalization.Apply(data, Count, Channels, Height, Width, statistics));

        Assert.Contains("statistics has 1 channels but the data has 3", exception.Message);
    }

    [Fact]
    public void ShapeMismatchRejected()
    {
        float[] data = new float[100];

        var exception = Assert.Throws<ArgumentException>(() => Normalization.Compute(data, 2, 1, 7, 7));

        Assert.Contains("data has 100 values; expected 98", exception.Message);
    }
}

using ModelCompiler.Preprocessing;
using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Preprocessing;

public class MeanSubtractionTests
{
    private const int Count = 50;
    private const int Channels = 3;
    private const int Height = 4;
    private const int Width = 5;
    private const int ImageSize = Channels * Height * Width;

    // Position i of every example is drawn around 10 x i with std 1 + i / 10, so each position needs its own mean
    // and the means are large next to the spread.
    private static float[] CreateImages(int count, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var data = new float[count * ImageSize];
        for (int example = 0; example < count; example++)
        {
            for (int i = 0; i < ImageSize; i++)
            {
                data[example * ImageSize + i] = (float)(10.0 * i + (1.0 + i / 10.0) * random.NextGaussian());
            }
        }

        return data;
    }

    private static double PositionMean(float[] data, int count, int size, int position) =>
        Enumerable.Range(0, count).Average(example => (double)data[example * size + position]);

    private static double ChannelMean(float[] data, int count, int channel, int planeSize)
    {
        double sum = 0.0;
        for (int example = 0; example < count; example++)
        {
            for (int i = 0; i < planeSize; i++)
            {
                sum += data[(example * Channels + channel) * planeSize + i];
            }
        }

        return sum / (count * planeSize);
    }

    [Fact]
    public void MeanImageFitMatchesDoubleMean()
    {
        float[] data = CreateImages(Count, seed: 1);

        MeanImage meanImage = MeanImage.Fit(data, Count, ImageSize);

        Assert.Equal(ImageSize, meanImage.Size);
        for (int i = 0; i < ImageSize; i++)
        {
            // The mean is stored as float, which rounds it by a relative 2^-24 (6e-8).
            double expected = PositionMean(data, Count, ImageSize, i);
            Assert.Equal(expected, meanImage.Mean[i], Math.Max(Math.Abs(expected), 1.0) * 1e-7);
        }
    }

    [Fact]
    public void MeanImageApplyLeavesZeroMeans()
    {
        float[] data = CreateImages(Count, seed: 2);
        MeanImage meanImage = MeanImage.Fit(data, Count, ImageSize);

        meanImage.Apply(data, Count);

        // The stored mean differs from the exact one by float rounding, at most 590 x 2^-24 = 4e-5 for the
        // largest position, and each subtraction rounds once more by less than that.
        for (int i = 0; i < ImageSize; i++)
        {
            Assert.Equal(0.0, PositionMean(data, Count, ImageSize, i), 1e-4);
        }
    }

    [Fact]
    public void MeanImageAppliesFittedMeanToOtherSet()
    {
        float[] train = CreateImages(Count, seed: 3);
        float[] test = CreateImages(7, seed: 4);
        float[] original = (float[])test.Clone();
        MeanImage meanImage = MeanImage.Fit(train, Count, ImageSize);

        meanImage.Apply(test, 7);

        for (int i = 0; i < test.Length; i++)
        {
            Assert.Equal(original[i] - meanImage.Mean[i % ImageSize], test[i]);
        }
    }

    [Fact]
    public void MeanImageFromGivenMean()
    {
        var meanImage = new MeanImage([1f, 2f, 3f]);
        float[] data = [1f, 2f, 3f, 2f, 4f, 6f];

        meanImage.Apply(data, 2);

        Assert.Equal([0f, 0f, 0f, 1f, 2f, 3f], data);
    }

    [Fact]
    public void MeanImageShapeMismatchRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => MeanImage.Fit(new float[10], 3, 4));

        Assert.Contains("data has 10 values; expected 12 (count 3 x size 4)", exception.Message);
    }

    [Fact]
    public void MeanImageApplySizeMismatchRejected()
    {
        var meanImage = new MeanImage([1f, 2f, 3f]);

        var exception = Assert.Throws<ArgumentException>(() => meanImage.Apply(new float[8], 2));

        Assert.Contains("data has 8 values; expected 6 (count 2 x Size 3)", exception.Message);
    }

    [Fact]
    public void MeanImageNaNRejected()
    {
        float[] data = CreateImages(3, seed: 5);
        data[ImageSize + 4] = float.NaN;

        var exception = Assert.Throws<ArgumentException>(() => MeanImage.Fit(data, 3, ImageSize));

        Assert.Contains($"data[{ImageSize + 4}] (example 1, position 4) is NaN", exception.Message);
    }

    [Fact]
    public void ChannelMeansApplyLeavesZeroChannelMeans()
    {
        float[] data = CreateImages(Count, seed: 6);
        ChannelMeans channelMeans = ChannelMeans.Fit(data, Count, Channels, Height, Width);

        channelMeans.Apply(data, Count, Height, Width);

        // Channel means are about 100, 300 and 500, so float rounding of the stored mean and of each difference
        // leaves at most about 500 x 2^-24 = 3e-5.
        Assert.Equal(Channels, channelMeans.Channels);
        for (int channel = 0; channel < Channels; channel++)
        {
            Assert.Equal(0.0, ChannelMean(data, Count, channel, Height * Width), 1e-4);
        }
    }

    [Fact]
    public void ChannelMeansFitMatchesDoubleMean()
    {
        float[] data = CreateImages(Count, seed: 7);

        ChannelMeans channelMeans = ChannelMeans.Fit(data, Count, Channels, Height, Width);

        for (int channel = 0; channel < Channels; channel++)
        {
            double expected = ChannelMean(data, Count, channel, Height * Width);
            Assert.Equal(expected, channelMeans.Means[channel], Math.Abs(expected) * 1e-7);
        }
    }

    [Fact]
    public void ChannelMeansConstantChannelAccepted()
    {
        float[] data = CreateImages(Count, seed: 8);
        int planeSize = Height * Width;
        for (int example = 0; example < Count; example++)
        {
            data.AsSpan((example * Channels + 1) * planeSize, planeSize).Fill(0.25f);
        }

        ChannelMeans channelMeans = ChannelMeans.Fit(data, Count, Channels, Height, Width);

        Assert.Equal(0.25f, channelMeans.Means[1]);
    }

    [Fact]
    public void ChannelMeansApplyToOtherImageSize()
    {
        var channelMeans = new ChannelMeans([1f, 10f]);
        float[] data = [1f, 2f, 3f, 10f, 20f, 30f];

        channelMeans.Apply(data, 1, 1, 3);

        Assert.Equal([0f, 1f, 2f, 0f, 10f, 20f], data);
    }

    [Fact]
    public void ChannelMeansShapeMismatchRejected()
    {
        var channelMeans = new ChannelMeans([1f, 10f]);

        var exception = Assert.Throws<ArgumentException>(() => channelMeans.Apply(new float[10], 2, 2, 2));

        Assert.Contains("data has 10 values; expected 16 (count 2 x channels 2 x height 2 x width 2)", exception.Message);
    }

    [Fact]
    public void ChannelMeansInfinityRejected()
    {
        float[] data = CreateImages(2, seed: 9);
        data[3] = float.NegativeInfinity;

        var exception = Assert.Throws<ArgumentException>(() => ChannelMeans.Fit(data, 2, Channels, Height, Width));

        Assert.Contains("data[3] (example 0, position 3) is", exception.Message);
    }
}

namespace ModelCompiler.Data;

/// <summary>
/// Per-channel standardization of NCHW float data. Statistics are computed once over a training set and then
/// applied, as (x - mean) / std, to it and to every other set, as torchvision's <c>Normalize</c> does.
/// </summary>
public static class Normalization
{
    /// <summary>
    /// Computes the mean and the population standard deviation (dividing by N) of each channel over all
    /// examples and pixels. Sums are taken in double, in two passes so that the variance does not lose precision
    /// when the mean is large.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="data"/> does not match the dimensions, a channel contains NaN or infinite
    /// values, or a channel is constant, so its standard deviation is 0.
    /// </exception>
    public static ChannelStatistics Compute(ReadOnlySpan<float> data, int count, int channels, int height, int width)
    {
        int planeSize = ValidateShape(data.Length, count, channels, height, width);
        long valuesPerChannel = (long)count * planeSize;

        var means = new float[channels];
        var standardDeviations = new float[channels];
        for (int channel = 0; channel < channels; channel++)
        {
            double sum = 0.0;
            for (int example = 0; example < count; example++)
            {
                foreach (float value in GetPlane(data, example, channel, channels, planeSize))
                {
                    sum += value;
                }
            }

            double mean = sum / valuesPerChannel;
            double sumOfSquaredDeviations = 0.0;
            for (int example = 0; example < count; example++)
            {
                foreach (float value in GetPlane(data, example, channel, channels, planeSize))
                {
                    double deviation = value - mean;
                    sumOfSquaredDeviations += deviation * deviation;
                }
            }

            double standardDeviation = Math.Sqrt(sumOfSquaredDeviations / valuesPerChannel);
            if (!double.IsFinite(standardDeviation))
            {
                throw new ArgumentException(
                    $"Channel {channel} contains NaN or infinite values, so its statistics are undefined.",
                    nameof(data));
            }

            if (standardDeviation == 0.0)
            {
                throw new ArgumentException(
                    $"Channel {channel} has standard deviation {standardDeviation} (mean {mean}) over {valuesPerChannel} " +
                    "values, so it cannot be normalized: every value in it is the same.",
                    nameof(data));
            }

            means[channel] = (float)mean;
            standardDeviations[channel] = (float)standardDeviation;
        }

        return new ChannelStatistics(means, standardDeviations);
    }

    /// <summary>Replaces each value x of channel c in <paramref name="data"/> by (x - mean[c]) / std[c].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="data"/> does not match the dimensions, or <paramref name="statistics"/> has a
    /// different number of channels.
    /// </exception>
    public static void Apply(Span<float> data, int count, int channels, int height, int width, ChannelStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        int planeSize = ValidateShape(data.Length, count, channels, height, width);
        if (statistics.Channels != channels)
        {
            throw new ArgumentException(
                $"statistics has {statistics.Channels} channels but the data has {channels}; they must match.",
                nameof(statistics));
        }

        for (int example = 0; example < count; example++)
        {
            for (int channel = 0; channel < channels; channel++)
            {
                float mean = statistics.Means[channel];
                float standardDeviation = statistics.StandardDeviations[channel];
                Span<float> plane = data.Slice((example * channels + channel) * planeSize, planeSize);
                for (int i = 0; i < plane.Length; i++)
                {
                    plane[i] = (plane[i] - mean) / standardDeviation;
                }
            }
        }
    }

    private static ReadOnlySpan<float> GetPlane(ReadOnlySpan<float> data, int example, int channel, int channels, int planeSize) =>
        data.Slice((example * channels + channel) * planeSize, planeSize);

    // Returns height x width after checking that the dimensions are positive and match the data length.
    private static int ValidateShape(int dataLength, int count, int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);

        long expectedLength = (long)count * channels * height * width;
        if (dataLength != expectedLength)
        {
            throw new ArgumentException(
                $"data has {dataLength} values; expected {expectedLength} " +
                $"(count {count} x channels {channels} x height {height} x width {width}).",
                "data");
        }

        return height * width;
    }
}

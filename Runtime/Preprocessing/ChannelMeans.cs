namespace ModelCompiler.Preprocessing;

/// <summary>
/// Mean of each channel of NCHW data over all examples and pixels of a training set, subtracted from that set
/// and every other set that goes through the same model.
/// </summary>
/// <remarks>
/// Unlike <see cref="ModelCompiler.Data.Normalization"/>, which also divides by the channel's standard deviation,
/// this only centers, so a constant channel is accepted. Because the mean is per channel, data of another height
/// and width can be centered with the same means.
/// </remarks>
public sealed class ChannelMeans
{
    private readonly float[] _means;

    /// <summary>Copies means computed elsewhere, one per channel.</summary>
    /// <exception cref="ArgumentException"><paramref name="means"/> is empty or contains NaN or infinite values.</exception>
    public ChannelMeans(ReadOnlySpan<float> means)
    {
        if (means.IsEmpty)
        {
            throw new ArgumentException("Expected at least one channel.", nameof(means));
        }

        DataChecks.ValidateFinite(means, means.Length, nameof(means));
        _means = means.ToArray();
    }

    /// <summary>Number of channels.</summary>
    public int Channels => _means.Length;

    /// <summary>Mean of each channel.</summary>
    public ReadOnlySpan<float> Means => _means;

    /// <summary>
    /// Computes the mean of each channel over all examples and pixels of the NCHW <paramref name="data"/>. Sums
    /// are taken in double and each mean is rounded to float once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="data"/> does not match the dimensions, or a value is NaN or infinite.
    /// </exception>
    public static ChannelMeans Fit(ReadOnlySpan<float> data, int count, int channels, int height, int width)
    {
        int planeSize = ValidateShape(data.Length, count, channels, height, width);
        DataChecks.ValidateFinite(data, channels * planeSize, nameof(data));

        var sums = new double[channels];
        for (int example = 0; example < count; example++)
        {
            for (int channel = 0; channel < channels; channel++)
            {
                double sum = 0.0;
                foreach (float value in data.Slice((example * channels + channel) * planeSize, planeSize))
                {
                    sum += value;
                }

                sums[channel] += sum;
            }
        }

        long valuesPerChannel = (long)count * planeSize;
        var means = new float[channels];
        for (int channel = 0; channel < channels; channel++)
        {
            means[channel] = (float)(sums[channel] / valuesPerChannel);
        }

        return new ChannelMeans(means);
    }

    /// <summary>Subtracts the mean of channel c in place from every value of channel c in the NCHW <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="data"/> is not count x <see cref="Channels"/> x height x width.
    /// </exception>
    public void Apply(Span<float> data, int count, int height, int width)
    {
        int planeSize = ValidateShape(data.Length, count, Channels, height, width);

        for (int example = 0; example < count; example++)
        {
            for (int channel = 0; channel < Channels; channel++)
            {
                float mean = _means[channel];
                Span<float> plane = data.Slice((example * Channels + channel) * planeSize, planeSize);
                for (int i = 0; i < plane.Length; i++)
                {
                    plane[i] -= mean;
                }
            }
        }
    }

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

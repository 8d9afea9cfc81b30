namespace ModelCompiler.Preprocessing;

/// <summary>
/// Mean of every input position over a training set, subtracted from each example of that set and of every other
/// set that goes through the same model ("mean image subtraction").
/// </summary>
/// <remarks>
/// Data is laid out as count x size floats, one example after another. An NCHW image has size
/// channels x height x width. To subtract one mean per channel instead, use <see cref="ChannelMeans"/>, and to
/// also divide by a per-channel standard deviation, use <see cref="ModelCompiler.Data.Normalization"/>.
/// </remarks>
public sealed class MeanImage
{
    private readonly float[] _mean;

    /// <summary>Copies a mean computed elsewhere, for example one stored with a trained model.</summary>
    /// <exception cref="ArgumentException"><paramref name="mean"/> is empty or contains NaN or infinite values.</exception>
    public MeanImage(ReadOnlySpan<float> mean)
    {
        if (mean.IsEmpty)
        {
            throw new ArgumentException("Expected a mean with at least one position.", nameof(mean));
        }

        DataChecks.ValidateFinite(mean, mean.Length, nameof(mean));
        _mean = mean.ToArray();
    }

    /// <summary>Number of values in one example.</summary>
    public int Size => _mean.Length;

    /// <summary>Mean of each position over the fitted examples.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>
    /// Computes the mean of each of the <paramref name="size"/> positions over the <paramref name="count"/>
    /// examples in <paramref name="data"/>. Sums are taken in double and the mean is rounded to float once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="size"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="data"/> is not count x size, or a value is NaN or infinite.
    /// </exception>
    public static MeanImage Fit(ReadOnlySpan<float> data, int count, int size)
    {
        DataChecks.ValidateRows(data.Length, count, size, nameof(data), nameof(size));
        DataChecks.ValidateFinite(data, size, nameof(data));

        var sums = new double[size];
        for (int example = 0; example < count; example++)
        {
            ReadOnlySpan<float> row = data.Slice(example * size, size);
            for (int i = 0; i < size; i++)
            {
                sums[i] += row[i];
            }
        }

        var mean = new float[size];
        for (int i = 0; i < size; i++)
        {
            mean[i] = (float)(sums[i] / count);
        }

        return new MeanImage(mean);
    }

    /// <summary>Subtracts <see cref="Mean"/> in place from each of the <paramref name="count"/> examples in <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="data"/> is not count x <see cref="Size"/>.</exception>
    public void Apply(Span<float> data, int count)
    {
        DataChecks.ValidateRows(data.Length, count, Size, nameof(data), nameof(Size));

        for (int example = 0; example < count; example++)
        {
            Span<float> row = data.Slice(example * Size, Size);
            for (int i = 0; i < row.Length; i++)
            {
                row[i] -= _mean[i];
            }
        }
    }
}

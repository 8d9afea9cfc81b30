namespace ModelCompiler.Data;

/// <summary>
/// Per-channel mean and population standard deviation of an NCHW dataset, used to normalize it and every other
/// set that goes through the same model.
/// </summary>
public sealed class ChannelStatistics
{
    private readonly float[] _means;
    private readonly float[] _standardDeviations;

    /// <summary>Copies the given per-channel values, for example statistics published with a dataset.</summary>
    /// <exception cref="ArgumentException">
    /// The arrays are empty or differ in length, a mean is not finite, or a standard deviation is not finite
    /// and positive.
    /// </exception>
    public ChannelStatistics(ReadOnlySpan<float> means, ReadOnlySpan<float> standardDeviations)
    {
        if (means.IsEmpty)
        {
            throw new ArgumentException("Expected at least one channel.", nameof(means));
        }

        if (means.Length != standardDeviations.Length)
        {
            throw new ArgumentException(
                $"means has {means.Length} channels but standardDeviations has {standardDeviations.Length}; they must match.",
                nameof(standardDeviations));
        }

        for (int channel = 0; channel < means.Length; channel++)
        {
            if (!float.IsFinite(means[channel]))
            {
                throw new ArgumentException($"The mean of channel {channel} is {means[channel]}; expected a finite value.", nameof(means));
            }

            float standardDeviation = standardDeviations[channel];
            if (!float.IsFinite(standardDeviation) || standardDeviation <= 0f)
            {
                throw new ArgumentException(
                    $"The standard deviation of channel {channel} is {standardDeviation}; expected a finite positive " +
                    "value, because normalization divides by it.",
                    nameof(standardDeviations));
            }
        }

        _means = means.ToArray();
        _standardDeviations = standardDeviations.ToArray();
    }

    /// <summary>Number of channels.</summary>
    public int Channels => _means.Length;

    /// <summary>Mean of each channel.</summary>
    public ReadOnlySpan<float> Means => _means;

    /// <summary>Population standard deviation (dividing by N) of each channel.</summary>
    public ReadOnlySpan<float> StandardDeviations => _standardDeviations;
}

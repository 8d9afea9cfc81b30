using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Normalization steps shared by batch, layer, instance and group normalization: statistics of a set of values,
/// x_hat = (x - mean) / sqrt(variance + epsilon) with the biased variance, and the gradient through both.
/// </summary>
/// <remarks>
/// Layer, instance and group normalization all normalize each example over contiguous blocks of its NCHW values
/// (the whole example, one channel, or one group of consecutive channels) and then apply a scale and shift that
/// is per element or per channel, so they share <see cref="ForwardPerExample"/> and <see cref="BackwardPerExample"/>.
/// </remarks>
internal static class ReferenceNormalization
{
    /// <summary>Returns the mean and the biased variance (divided by the count) of <paramref name="values"/>, in two passes.</summary>
    public static (T Mean, T Variance) MeanAndVariance<T>(ReadOnlySpan<T> values)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(values.Length);
        T sum = T.Zero;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
        }

        T mean = sum / count;
        T squaredDeviations = T.Zero;
        for (int i = 0; i < values.Length; i++)
        {
            T deviation = values[i] - mean;
            squaredDeviations += deviation * deviation;
        }

        return (mean, squaredDeviations / count);
    }

    /// <summary>Returns 1 / sqrt(variance + epsilon).</summary>
    public static T InverseStandardDeviation<T>(T variance, T epsilon)
        where T : IBinaryFloatingPointIeee754<T>
    {
        return T.One / T.Sqrt(variance + epsilon);
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradients"/> with the gradient with respect to the normalized values' inputs,
    /// through the mean and variance they were normalized with:
    /// dx = inverseStd * (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)).
    /// </summary>
    public static void BackwardThroughStatistics<T>(
        ReadOnlySpan<T> normalized, ReadOnlySpan<T> normalizedGradients, T inverseStandardDeviation, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(normalized.Length);
        T gradientSum = T.Zero;
        T gradientDotNormalized = T.Zero;
        for (int i = 0; i < normalized.Length; i++)
        {
            gradientSum += normalizedGradients[i];
            gradientDotNormalized += normalizedGradients[i] * normalized[i];
        }

        T gradientMean = gradientSum / count;
        T gradientDotNormalizedMean = gradientDotNormalized / count;
        for (int i = 0; i < normalized.Length; i++)
        {
            T centered = normalizedGradients[i] - gradientMean - (normalized[i] * gradientDotNormalizedMean);
            inputGradients[i] = inverseStandardDeviation * centered;
        }
    }

    /// <summary>
    /// Normalizes each example over <paramref name="groupCount"/> equal contiguous blocks of its values, then writes
    /// scale[p] * x_hat + shift[p] with p = (index within the example) / <paramref name="valuesPerParameter"/>,
    /// or x_hat itself when <paramref name="scale"/> is empty.
    /// </summary>
    public static void ForwardPerExample<T>(
        ReferenceShape shape,
        int groupCount,
        int valuesPerParameter,
        T epsilon,
        ReadOnlySpan<T> scale,
        ReadOnlySpan<T> shift,
        ReadOnlySpan<T> input,
        Span<T> output,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int groupSize = shape.Size / groupCount;
        for (int block = 0; block < batchSize * groupCount; block++)
        {
            int start = block * groupSize;
            ReadOnlySpan<T> values = input.Slice(start, groupSize);
            (T mean, T variance) = MeanAndVariance(values);
            T inverseStandardDeviation = InverseStandardDeviation(variance, epsilon);
            for (int i = 0; i < groupSize; i++)
            {
                T normalized = (values[i] - mean) * inverseStandardDeviation;
                if (scale.IsEmpty)
                {
                    output[start + i] = normalized;
                    continue;
                }

                int parameter = ((start + i) % shape.Size) / valuesPerParameter;
                output[start + i] = (scale[parameter] * normalized) + shift[parameter];
            }
        }
    }

    /// <summary>
    /// Backward pass of <see cref="ForwardPerExample"/>. Overwrites the scale and shift gradients (empty without
    /// an affine map) and, unless <paramref name="inputGradients"/> is empty, the input gradients.
    /// </summary>
    public static void BackwardPerExample<T>(
        ReferenceShape shape,
        int groupCount,
        int valuesPerParameter,
        T epsilon,
        ReadOnlySpan<T> scale,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> scaleGradients,
        Span<T> shiftGradients,
        Span<T> inputGradients,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        scaleGradients.Clear();
        shiftGradients.Clear();
        int groupSize = shape.Size / groupCount;
        var normalized = new T[groupSize];
        var normalizedGradients = new T[groupSize];
        for (int block = 0; block < batchSize * groupCount; block++)
        {
            int start = block * groupSize;
            ReadOnlySpan<T> values = input.Slice(start, groupSize);
            (T mean, T variance) = MeanAndVariance(values);
            T inverseStandardDeviation = InverseStandardDeviation(variance, epsilon);
            for (int i = 0; i < groupSize; i++)
            {
                normalized[i] = (values[i] - mean) * inverseStandardDeviation;
                T outputGradient = outputGradients[start + i];
                if (scale.IsEmpty)
                {
                    normalizedGradients[i] = outputGradient;
                    continue;
                }

                int parameter = ((start + i) % shape.Size) / valuesPerParameter;
                scaleGradients[parameter] += outputGradient * normalized[i];
                shiftGradients[parameter] += outputGradient;
                normalizedGradients[i] = outputGradient * scale[parameter];
            }

            if (!inputGradients.IsEmpty)
            {
                BackwardThroughStatistics<T>(normalized, normalizedGradients, inverseStandardDeviation, inputGradients.Slice(start, groupSize));
            }
        }
    }
}

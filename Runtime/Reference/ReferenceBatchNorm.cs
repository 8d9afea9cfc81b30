using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Batch normalization as PyTorch's <c>BatchNorm2d</c> (and <c>BatchNorm1d</c> for a C x 1 x 1 input): channel c
/// is normalized over the batch, height and width, then scaled by gamma[c] and shifted by beta[c].
/// </summary>
/// <remarks>
/// The layer's state is running_mean [C] followed by running_var [C]. In training mode the layer normalizes with
/// the batch mean and biased variance and updates running = (1 - Momentum) * running + Momentum * statistic, using
/// the unbiased variance (times M / (M - 1), M = batchSize x H x W) for running_var. In evaluation mode it computes
/// gamma * (x - running_mean) / sqrt(running_var + Epsilon) + beta, an affine map whose backward pass ignores the
/// batch. The caller rejects training with M = 1, as PyTorch does.
/// </remarks>
internal static class ReferenceBatchNorm
{
    /// <summary>Number of running statistics per channel: the mean and the variance.</summary>
    public const int StatisticsPerChannel = 2;

    /// <summary>
    /// Writes the normalized, scaled and shifted batch to <paramref name="output"/>. In training mode it also
    /// updates the running statistics in <paramref name="state"/>, and in evaluation mode it only reads them.
    /// </summary>
    public static void Forward<T>(
        BatchNormLayer layer,
        ReferenceShape shape,
        ReadOnlySpan<T> gamma,
        ReadOnlySpan<T> beta,
        ReadOnlySpan<T> input,
        Span<T> output,
        int batchSize,
        ReferenceMode mode,
        Span<T> state)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T epsilon = T.CreateChecked(layer.Epsilon);
        Span<T> runningMean = state[..shape.Channels];
        Span<T> runningVariance = state.Slice(shape.Channels, shape.Channels);
        var values = new T[batchSize * shape.Height * shape.Width];
        for (int channel = 0; channel < shape.Channels; channel++)
        {
            Gather(shape, channel, input, values, batchSize);
            T mean;
            T inverseStandardDeviation;
            if (mode == ReferenceMode.Training)
            {
                (mean, T variance) = ReferenceNormalization.MeanAndVariance<T>(values);
                inverseStandardDeviation = ReferenceNormalization.InverseStandardDeviation(variance, epsilon);
                UpdateRunningStatistics(layer, values.Length, mean, variance, ref runningMean[channel], ref runningVariance[channel]);
            }
            else
            {
                mean = runningMean[channel];
                inverseStandardDeviation = ReferenceNormalization.InverseStandardDeviation(runningVariance[channel], epsilon);
            }

            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (gamma[channel] * (values[i] - mean) * inverseStandardDeviation) + beta[channel];
            }

            Scatter<T>(shape, channel, values, output, batchSize);
        }
    }

    /// <summary>
    /// Overwrites the gamma and beta gradients and, unless <paramref name="inputGradients"/> is empty, the input
    /// gradients. In training mode the input gradient flows through the batch mean and variance. In evaluation mode
    /// it is the output gradient times gamma / sqrt(running_var + Epsilon).
    /// </summary>
    public static void Backward<T>(
        BatchNormLayer layer,
        ReferenceShape shape,
        ReadOnlySpan<T> gamma,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> gammaGradients,
        Span<T> betaGradients,
        Span<T> inputGradients,
        int batchSize,
        ReferenceMode mode,
        ReadOnlySpan<T> state)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T epsilon = T.CreateChecked(layer.Epsilon);
        int count = batchSize * shape.Height * shape.Width;
        var normalized = new T[count];
        var gradients = new T[count];
        var channelInputGradients = new T[count];
        for (int channel = 0; channel < shape.Channels; channel++)
        {
            Gather(shape, channel, input, normalized, batchSize);
            Gather(shape, channel, outputGradients, gradients, batchSize);
            T mean;
            T inverseStandardDeviation;
            if (mode == ReferenceMode.Training)
            {
                (mean, T variance) = ReferenceNormalization.MeanAndVariance<T>(normalized);
                inverseStandardDeviation = ReferenceNormalization.InverseStandardDeviation(variance, epsilon);
            }
            else
            {
                mean = state[channel];
                inverseStandardDeviation = ReferenceNormalization.InverseStandardDeviation(state[shape.Channels + channel], epsilon);
            }

            T gammaGradient = T.Zero;
            T betaGradient = T.Zero;
            for (int i = 0; i < count; i++)
            {
                normalized[i] = (normalized[i] - mean) * inverseStandardDeviation;
                gammaGradient += gradients[i] * normalized[i];
                betaGradient += gradients[i];
            }

            gammaGradients[channel] = gammaGradient;
            betaGradients[channel] = betaGradient;
            if (inputGradients.IsEmpty)
            {
                continue;
            }

            if (mode == ReferenceMode.Training)
            {
                // The gradient with respect to the normalized values is the output gradient times gamma.
                for (int i = 0; i < count; i++)
                {
                    gradients[i] *= gamma[channel];
                }

                ReferenceNormalization.BackwardThroughStatistics<T>(normalized, gradients, inverseStandardDeviation, channelInputGradients);
            }
            else
            {
                for (int i = 0; i < count; i++)
                {
                    channelInputGradients[i] = gradients[i] * gamma[channel] * inverseStandardDeviation;
                }
            }

            Scatter<T>(shape, channel, channelInputGradients, inputGradients, batchSize);
        }
    }

    /// <summary>Applies one training step's statistics to a channel's running mean and variance, as PyTorch does.</summary>
    private static void UpdateRunningStatistics<T>(
        BatchNormLayer layer, int count, T mean, T biasedVariance, ref T runningMean, ref T runningVariance)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T momentum = T.CreateChecked(layer.Momentum);
        T keep = T.One - momentum;
        T unbiasedVariance = biasedVariance * T.CreateChecked(count) / T.CreateChecked(count - 1);
        runningMean = (momentum * mean) + (keep * runningMean);
        runningVariance = (momentum * unbiasedVariance) + (keep * runningVariance);
    }

    /// <summary>Copies channel <paramref name="channel"/> of every example, in batch, row, column order, to <paramref name="values"/>.</summary>
    private static void Gather<T>(ReferenceShape shape, int channel, ReadOnlySpan<T> source, Span<T> values, int batchSize)
    {
        int area = shape.Height * shape.Width;
        for (int n = 0; n < batchSize; n++)
        {
            source.Slice((n * shape.Size) + (channel * area), area).CopyTo(values.Slice(n * area, area));
        }
    }

    /// <summary>Copies <paramref name="values"/> back to channel <paramref name="channel"/> of every example, undoing <see cref="Gather"/>.</summary>
    private static void Scatter<T>(ReferenceShape shape, int channel, ReadOnlySpan<T> values, Span<T> destination, int batchSize)
    {
        int area = shape.Height * shape.Width;
        for (int n = 0; n < batchSize; n++)
        {
            values.Slice(n * area, area).CopyTo(destination.Slice((n * shape.Size) + (channel * area), area));
        }
    }
}

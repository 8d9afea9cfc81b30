using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// A fully connected layer as PyTorch's <c>Linear</c> computes it after <c>Flatten</c>:
/// output[n, o] = bias[o] + sum over i of weight[o, i] * input[n, i], with weights stored [out, in].
/// </summary>
/// <remarks>
/// A spatial input is already flattened in channel, row, column order because tensors are stored NCHW,
/// so each example's input is used as a vector as it is.
/// </remarks>
internal static class ReferenceDense
{
    /// <summary>Writes the affine map of every example in <paramref name="input"/> to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        int inputCount,
        int outputCount,
        ReadOnlySpan<T> weights,
        ReadOnlySpan<T> biases,
        ReadOnlySpan<T> input,
        Span<T> output,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> example = input.Slice(n * inputCount, inputCount);
            for (int o = 0; o < outputCount; o++)
            {
                ReadOnlySpan<T> weightRow = weights.Slice(o * inputCount, inputCount);
                T sum = T.Zero;
                for (int i = 0; i < inputCount; i++)
                {
                    sum += weightRow[i] * example[i];
                }

                output[(n * outputCount) + o] = biases[o] + sum;
            }
        }
    }

    /// <summary>
    /// Overwrites the weight, bias and input gradients from the gradient of the loss with respect to the
    /// output. An empty <paramref name="inputGradients"/> skips the input gradient.
    /// </summary>
    public static void Backward<T>(
        int inputCount,
        int outputCount,
        ReadOnlySpan<T> weights,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> weightGradients,
        Span<T> biasGradients,
        Span<T> inputGradients,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        weightGradients.Clear();
        biasGradients.Clear();
        inputGradients.Clear();
        bool computeInputGradients = !inputGradients.IsEmpty;

        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> example = input.Slice(n * inputCount, inputCount);
            for (int o = 0; o < outputCount; o++)
            {
                T outputGradient = outputGradients[(n * outputCount) + o];
                biasGradients[o] += outputGradient;

                ReadOnlySpan<T> weightRow = weights.Slice(o * inputCount, inputCount);
                Span<T> weightGradientRow = weightGradients.Slice(o * inputCount, inputCount);
                for (int i = 0; i < inputCount; i++)
                {
                    weightGradientRow[i] += outputGradient * example[i];
                    if (computeInputGradients)
                    {
                        inputGradients[(n * inputCount) + i] += outputGradient * weightRow[i];
                    }
                }
            }
        }
    }
}

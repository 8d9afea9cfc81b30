using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// 2-D convolution as PyTorch's <c>Conv2d</c> computes it: cross-correlation (the kernel is not flipped)
/// over a zero-padded input, with OIHW weights and one bias per filter.
/// </summary>
/// <remarks>
/// Output element (n, k, y, x) is bias[k] plus the sum over c, ky, kx of
/// weight[k, c, ky, kx] * input[n, c, y * Stride - Padding + ky, x * Stride - Padding + kx].
/// Input positions outside the image read as zero.
/// </remarks>
internal static class ReferenceConvolution
{
    /// <summary>Writes the convolution of every example in <paramref name="input"/> to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        Conv2DLayer layer,
        ReferenceShape inputShape,
        ReferenceShape outputShape,
        ReadOnlySpan<T> weights,
        ReadOnlySpan<T> biases,
        ReadOnlySpan<T> input,
        Span<T> output,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> example = input.Slice(n * inputShape.Size, inputShape.Size);
            Span<T> exampleOutput = output.Slice(n * outputShape.Size, outputShape.Size);
            for (int filter = 0; filter < outputShape.Channels; filter++)
            {
                for (int outY = 0; outY < outputShape.Height; outY++)
                {
                    for (int outX = 0; outX < outputShape.Width; outX++)
                    {
                        T sum = biases[filter] + CorrelateAt(layer, inputShape, weights, example, filter, outY, outX);
                        exampleOutput[outputShape.IndexOf(filter, outY, outX)] = sum;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Overwrites the weight, bias and input gradients from the gradient of the loss with respect to the
    /// output. An empty <paramref name="inputGradients"/> skips the input gradient.
    /// </summary>
    public static void Backward<T>(
        Conv2DLayer layer,
        ReferenceShape inputShape,
        ReferenceShape outputShape,
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
            ReadOnlySpan<T> example = input.Slice(n * inputShape.Size, inputShape.Size);
            ReadOnlySpan<T> exampleOutputGradients = outputGradients.Slice(n * outputShape.Size, outputShape.Size);
            Span<T> exampleInputGradients = computeInputGradients
                ? inputGradients.Slice(n * inputShape.Size, inputShape.Size)
                : Span<T>.Empty;
            for (int filter = 0; filter < outputShape.Channels; filter++)
            {
                for (int outY = 0; outY < outputShape.Height; outY++)
                {
                    for (int outX = 0; outX < outputShape.Width; outX++)
                    {
                        T outputGradient = exampleOutputGradients[outputShape.IndexOf(filter, outY, outX)];
                        biasGradients[filter] += outputGradient;
                        AccumulateGradientsAt(
                            layer, inputShape, weights, example, outputGradient, filter, outY, outX,
                            weightGradients, exampleInputGradients);
                    }
                }
            }
        }
    }

    /// <summary>Returns the dot product of one filter with the input window under output position (outY, outX).</summary>
    private static T CorrelateAt<T>(
        Conv2DLayer layer, ReferenceShape inputShape, ReadOnlySpan<T> weights, ReadOnlySpan<T> example, int filter, int outY, int outX)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int channel = 0; channel < inputShape.Channels; channel++)
        {
            for (int kernelY = 0; kernelY < layer.Size; kernelY++)
            {
                int inY = (outY * layer.Stride) - layer.Padding + kernelY;
                if (inY < 0 || inY >= inputShape.Height)
                {
                    continue; // A padding row, which is zero.
                }

                for (int kernelX = 0; kernelX < layer.Size; kernelX++)
                {
                    int inX = (outX * layer.Stride) - layer.Padding + kernelX;
                    if (inX < 0 || inX >= inputShape.Width)
                    {
                        continue; // A padding column, which is zero.
                    }

                    T weight = weights[WeightIndex(layer, inputShape, filter, channel, kernelY, kernelX)];
                    sum += weight * example[inputShape.IndexOf(channel, inY, inX)];
                }
            }
        }

        return sum;
    }

    /// <summary>
    /// Adds one output element's contribution to the weight gradients and, unless
    /// <paramref name="exampleInputGradients"/> is empty, to the input gradients of its window.
    /// </summary>
    private static void AccumulateGradientsAt<T>(
        Conv2DLayer layer,
        ReferenceShape inputShape,
        ReadOnlySpan<T> weights,
        ReadOnlySpan<T> example,
        T outputGradient,
        int filter,
        int outY,
        int outX,
        Span<T> weightGradients,
        Span<T> exampleInputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int channel = 0; channel < inputShape.Channels; channel++)
        {
            for (int kernelY = 0; kernelY < layer.Size; kernelY++)
            {
                int inY = (outY * layer.Stride) - layer.Padding + kernelY;
                if (inY < 0 || inY >= inputShape.Height)
                {
                    continue;
                }

                for (int kernelX = 0; kernelX < layer.Size; kernelX++)
                {
                    int inX = (outX * layer.Stride) - layer.Padding + kernelX;
                    if (inX < 0 || inX >= inputShape.Width)
                    {
                        continue;
                    }

                    int weightIndex = WeightIndex(layer, inputShape, filter, channel, kernelY, kernelX);
                    int inputIndex = inputShape.IndexOf(channel, inY, inX);
                    weightGradients[weightIndex] += outputGradient * example[inputIndex];
                    if (!exampleInputGradients.IsEmpty)
                    {
                        exampleInputGradients[inputIndex] += outputGradient * weights[weightIndex];
                    }
                }
            }
        }
    }

    /// <summary>Returns the flat OIHW index of weight[filter, channel, kernelY, kernelX].</summary>
    private static int WeightIndex(Conv2DLayer layer, ReferenceShape inputShape, int filter, int channel, int kernelY, int kernelX)
    {
        return ((((filter * inputShape.Channels) + channel) * layer.Size) + kernelY) * layer.Size + kernelX;
    }
}

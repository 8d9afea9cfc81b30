using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// 2-D convolution as PyTorch's <c>Conv2d</c> computes it: cross-correlation (the kernel is not flipped)
/// over a zero-padded input, with OIHW weights [filters, channels, kernel rows, kernel columns] and one bias per filter.
/// </summary>
/// <remarks>
/// Output element (n, k, y, x) is bias[k] plus the sum over c, ky, kx of weight[k, c, ky, kx] * input[n, c, iy, ix].
/// The input row is iy = y * StrideHeight - PaddingHeight + ky * DilationHeight, and the column ix likewise.
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
        ReferenceWindow window = ReferenceWindow.Of(layer);
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
                        T sum = biases[filter] + CorrelateAt(window, inputShape, weights, example, filter, outY, outX);
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
        ReferenceWindow window = ReferenceWindow.Of(layer);

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
                            window, inputShape, weights, example, outputGradient, filter, outY, outX,
                            weightGradients, exampleInputGradients);
                    }
                }
            }
        }
    }

    /// <summary>Returns the dot product of one filter with the input window under output position (outY, outX).</summary>
    private static T CorrelateAt<T>(
        ReferenceWindow window, ReferenceShape inputShape, ReadOnlySpan<T> weights, ReadOnlySpan<T> example, int filter, int outY, int outX)
        where T : IBinaryFloatingPointIeee754<T>
    {
        // Kernel rows and columns outside [first, end) fall on zero padding and contribute nothing.
        int top = window.Top(outY);
        int left = window.Left(outX);
        (int firstKernelY, int endKernelY) = ReferenceWindow.TapsInside(top, window.KernelHeight, window.DilationHeight, inputShape.Height);
        (int firstKernelX, int endKernelX) = ReferenceWindow.TapsInside(left, window.KernelWidth, window.DilationWidth, inputShape.Width);

        T sum = T.Zero;
        for (int channel = 0; channel < inputShape.Channels; channel++)
        {
            for (int kernelY = firstKernelY; kernelY < endKernelY; kernelY++)
            {
                int inputY = top + (kernelY * window.DilationHeight);
                ReadOnlySpan<T> weightRow = weights.Slice(WeightIndex(window, inputShape, filter, channel, kernelY), window.KernelWidth);
                ReadOnlySpan<T> inputRow = example.Slice(inputShape.IndexOf(channel, inputY, 0), inputShape.Width);
                for (int kernelX = firstKernelX; kernelX < endKernelX; kernelX++)
                {
                    sum += weightRow[kernelX] * inputRow[left + (kernelX * window.DilationWidth)];
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
        ReferenceWindow window,
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
        int top = window.Top(outY);
        int left = window.Left(outX);
        (int firstKernelY, int endKernelY) = ReferenceWindow.TapsInside(top, window.KernelHeight, window.DilationHeight, inputShape.Height);
        (int firstKernelX, int endKernelX) = ReferenceWindow.TapsInside(left, window.KernelWidth, window.DilationWidth, inputShape.Width);

        for (int channel = 0; channel < inputShape.Channels; channel++)
        {
            for (int kernelY = firstKernelY; kernelY < endKernelY; kernelY++)
            {
                int weightRowStart = WeightIndex(window, inputShape, filter, channel, kernelY);
                int inputRowStart = inputShape.IndexOf(channel, top + (kernelY * window.DilationHeight), 0);
                ReadOnlySpan<T> inputRow = example.Slice(inputRowStart, inputShape.Width);
                Span<T> weightGradientRow = weightGradients.Slice(weightRowStart, window.KernelWidth);
                for (int kernelX = firstKernelX; kernelX < endKernelX; kernelX++)
                {
                    weightGradientRow[kernelX] += outputGradient * inputRow[left + (kernelX * window.DilationWidth)];
                }

                if (exampleInputGradients.IsEmpty)
                {
                    continue;
                }

                ReadOnlySpan<T> weightRow = weights.Slice(weightRowStart, window.KernelWidth);
                Span<T> inputGradientRow = exampleInputGradients.Slice(inputRowStart, inputShape.Width);
                for (int kernelX = firstKernelX; kernelX < endKernelX; kernelX++)
                {
                    inputGradientRow[left + (kernelX * window.DilationWidth)] += outputGradient * weightRow[kernelX];
                }
            }
        }
    }

    /// <summary>Returns the flat OIHW index of weight[filter, channel, kernelY, 0].</summary>
    private static int WeightIndex(ReferenceWindow window, ReferenceShape inputShape, int filter, int channel, int kernelY)
    {
        return ((((filter * inputShape.Channels) + channel) * window.KernelHeight) + kernelY) * window.KernelWidth;
    }
}

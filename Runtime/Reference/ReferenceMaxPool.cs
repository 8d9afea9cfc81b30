using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// 2-D max pooling over rectangular windows of each channel, as PyTorch's <c>MaxPool2d</c> computes it
/// without dilation.
/// </summary>
/// <remarks>
/// <para>
/// Padding cells count as negative infinity, so they are never chosen. Like PyTorch, the search skips them and
/// starts at the window's first input cell. Every window contains an input cell because shape inference limits
/// the padding to half the window.
/// </para>
/// <para>
/// The backward pass sends each window's gradient to the first maximum in row-major window order, which is
/// PyTorch's rule for ties. Windows overlap when the stride is smaller than the size, and an input element
/// that is the maximum of several windows receives the sum of their gradients.
/// </para>
/// </remarks>
internal static class ReferenceMaxPool
{
    /// <summary>Writes each window's maximum to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        MaxPool2DLayer layer,
        ReferenceShape inputShape,
        ReferenceShape outputShape,
        ReadOnlySpan<T> input,
        Span<T> output,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> example = input.Slice(n * inputShape.Size, inputShape.Size);
            Span<T> exampleOutput = output.Slice(n * outputShape.Size, outputShape.Size);
            for (int channel = 0; channel < outputShape.Channels; channel++)
            {
                for (int outY = 0; outY < outputShape.Height; outY++)
                {
                    for (int outX = 0; outX < outputShape.Width; outX++)
                    {
                        int maximumIndex = FindMaximumIndex(layer, inputShape, example, channel, outY, outX);
                        exampleOutput[outputShape.IndexOf(channel, outY, outX)] = example[maximumIndex];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradients"/> with the gradient of the loss with respect to the input,
    /// routing each output gradient to its window's first maximum.
    /// </summary>
    public static void Backward<T>(
        MaxPool2DLayer layer,
        ReferenceShape inputShape,
        ReferenceShape outputShape,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> inputGradients,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        inputGradients.Clear();
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> example = input.Slice(n * inputShape.Size, inputShape.Size);
            ReadOnlySpan<T> exampleOutputGradients = outputGradients.Slice(n * outputShape.Size, outputShape.Size);
            Span<T> exampleInputGradients = inputGradients.Slice(n * inputShape.Size, inputShape.Size);
            for (int channel = 0; channel < outputShape.Channels; channel++)
            {
                for (int outY = 0; outY < outputShape.Height; outY++)
                {
                    for (int outX = 0; outX < outputShape.Width; outX++)
                    {
                        // Recomputing the maximum gives the same element as the forward pass because the
                        // input and the tie rule are the same.
                        int maximumIndex = FindMaximumIndex(layer, inputShape, example, channel, outY, outX);
                        exampleInputGradients[maximumIndex] += exampleOutputGradients[outputShape.IndexOf(channel, outY, outX)];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Returns the index within <paramref name="example"/> of the first maximum, in row-major order, of the
    /// input cells in the window under output position (outY, outX). A NaN in the window is taken as the
    /// maximum, so NaN propagates as it does in PyTorch.
    /// </summary>
    private static int FindMaximumIndex<T>(
        MaxPool2DLayer layer, ReferenceShape inputShape, ReadOnlySpan<T> example, int channel, int outY, int outX)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceWindow window = ReferenceWindow.Of(layer);
        int top = window.Top(outY);
        int left = window.Left(outX);
        int firstY = Math.Max(top, 0);
        int endY = Math.Min(top + window.KernelHeight, inputShape.Height);
        int firstX = Math.Max(left, 0);
        int endX = Math.Min(left + window.KernelWidth, inputShape.Width);

        int maximumIndex = inputShape.IndexOf(channel, firstY, firstX);
        for (int y = firstY; y < endY; y++)
        {
            for (int x = firstX; x < endX; x++)
            {
                int index = inputShape.IndexOf(channel, y, x);

                // Strictly greater, so that a later equal value does not replace the first maximum.
                if (example[index] > example[maximumIndex] || T.IsNaN(example[index]))
                {
                    maximumIndex = index;
                }
            }
        }

        return maximumIndex;
    }
}

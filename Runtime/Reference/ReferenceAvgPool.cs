using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// 2-D average pooling over rectangular windows of each channel, with zero padding, as PyTorch's
/// <c>AvgPool2d</c> computes it with <c>ceil_mode=False</c> and no divisor override.
/// </summary>
/// <remarks>
/// Each output is the sum of the window's input cells divided by the window area KernelHeight x KernelWidth
/// when <see cref="AvgPool2DLayer.CountIncludePadding"/> is true, or by the number of input cells in the window
/// when it is false. PyTorch also clips a window that extends past the padded input before taking its area.
/// That cannot happen here, because shape inference rejects windows that do not tile the padded input exactly.
/// </remarks>
internal static class ReferenceAvgPool
{
    /// <summary>Writes each window's average to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        AvgPool2DLayer layer,
        ReferenceShape inputShape,
        ReferenceShape outputShape,
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
            for (int channel = 0; channel < outputShape.Channels; channel++)
            {
                for (int outY = 0; outY < outputShape.Height; outY++)
                {
                    for (int outX = 0; outX < outputShape.Width; outX++)
                    {
                        Cells cells = CellsUnder(window, inputShape, outY, outX);
                        T sum = T.Zero;
                        for (int y = cells.FirstY; y < cells.EndY; y++)
                        {
                            for (int x = cells.FirstX; x < cells.EndX; x++)
                            {
                                sum += example[inputShape.IndexOf(channel, y, x)];
                            }
                        }

                        exampleOutput[outputShape.IndexOf(channel, outY, outX)] = sum / Divisor<T>(layer, window, cells);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradients"/> with the gradient of the loss with respect to the input:
    /// each input cell of a window receives the window's output gradient divided by the window's divisor.
    /// </summary>
    public static void Backward<T>(
        AvgPool2DLayer layer,
        ReferenceShape inputShape,
        ReferenceShape outputShape,
        ReadOnlySpan<T> outputGradients,
        Span<T> inputGradients,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceWindow window = ReferenceWindow.Of(layer);
        inputGradients.Clear();
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> exampleOutputGradients = outputGradients.Slice(n * outputShape.Size, outputShape.Size);
            Span<T> exampleInputGradients = inputGradients.Slice(n * inputShape.Size, inputShape.Size);
            for (int channel = 0; channel < outputShape.Channels; channel++)
            {
                for (int outY = 0; outY < outputShape.Height; outY++)
                {
                    for (int outX = 0; outX < outputShape.Width; outX++)
                    {
                        Cells cells = CellsUnder(window, inputShape, outY, outX);
                        T share = exampleOutputGradients[outputShape.IndexOf(channel, outY, outX)] / Divisor<T>(layer, window, cells);
                        for (int y = cells.FirstY; y < cells.EndY; y++)
                        {
                            for (int x = cells.FirstX; x < cells.EndX; x++)
                            {
                                exampleInputGradients[inputShape.IndexOf(channel, y, x)] += share;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Returns the input rows [FirstY, EndY) and columns [FirstX, EndX) that the window at (outY, outX) covers.</summary>
    private static Cells CellsUnder(ReferenceWindow window, ReferenceShape inputShape, int outY, int outX)
    {
        int top = window.Top(outY);
        int left = window.Left(outX);
        return new Cells(
            Math.Max(top, 0),
            Math.Min(top + window.KernelHeight, inputShape.Height),
            Math.Max(left, 0),
            Math.Min(left + window.KernelWidth, inputShape.Width));
    }

    private static T Divisor<T>(AvgPool2DLayer layer, ReferenceWindow window, Cells cells)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int count = layer.CountIncludePadding
            ? window.KernelHeight * window.KernelWidth
            : (cells.EndY - cells.FirstY) * (cells.EndX - cells.FirstX);
        return T.CreateChecked(count);
    }

    private readonly record struct Cells(int FirstY, int EndY, int FirstX, int EndX);
}

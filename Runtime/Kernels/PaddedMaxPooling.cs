namespace ModelCompiler.Kernels;

/// <summary>
/// 2-D max pooling with rectangular windows, separate strides and padding, as PyTorch's <c>MaxPool2d</c> without
/// dilation and with ceil_mode = false.
/// </summary>
/// <remarks>
/// Padding cells count as negative infinity and are never chosen, because each window's scan starts at its first
/// input cell and covers only input cells. The scan runs in row-major order with the NaN and tie rule of the
/// unpadded overloads: the first maximum wins, and NaN propagates. Square windows with equal strides and no padding take the unpadded
/// overloads, which have a vector path for 2 x 2 windows with stride 2; every other shape uses a scalar loop.
/// </remarks>
public static unsafe partial class Pooling
{
    /// <summary>
    /// Computes the max pool of each plane and stores in <paramref name="argmax"/>, for each output, the index of the
    /// chosen input element in <paramref name="input"/>, so that <see cref="MaxPool2DBackward"/> computes the gradient.
    /// </summary>
    /// <param name="input">planes x height x width values.</param>
    /// <param name="output">Receives planes x outHeight x outWidth values, outHeight = (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1 and the same for the width.</param>
    /// <param name="argmax">Receives one index per output.</param>
    /// <param name="planes">Number of planes, batch size times channels.</param>
    /// <param name="height">Rows per input plane.</param>
    /// <param name="width">Columns per input plane.</param>
    /// <param name="kernelHeight">Window rows.</param>
    /// <param name="kernelWidth">Window columns.</param>
    /// <param name="strideHeight">Rows between vertically neighbouring windows.</param>
    /// <param name="strideWidth">Columns between horizontally neighbouring windows.</param>
    /// <param name="paddingHeight">Padding rows above and below, at most kernelHeight / 2.</param>
    /// <param name="paddingWidth">Padding columns left and right, at most kernelWidth / 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or padding is out of range, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public static void MaxPool2D(
        ReadOnlySpan<float> input,
        Span<float> output,
        Span<int> argmax,
        int planes,
        int height,
        int width,
        int kernelHeight,
        int kernelWidth,
        int strideHeight,
        int strideWidth,
        int paddingHeight,
        int paddingWidth)
    {
        var window = PoolingWindow.Create(
            input.Length, output.Length, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);
        KernelArguments.RequireLength(argmax.Length, window.OutputLength, nameof(argmax), "planes * outHeight * outWidth");
        if (window.IsSquareWithoutPadding)
        {
            MaxPool2D(input, output, argmax, planes, height, width, kernelHeight, strideHeight);
            return;
        }

        fixed (float* pInput = input, pOutput = output)
        fixed (int* pArgmax = argmax)
        {
            PaddedMaxPoolScalar(pInput, pOutput, pArgmax, window);
        }
    }

    /// <summary>
    /// Computes the max pool of each plane for inference, without indexes. The values equal those of the overload
    /// with argmax.
    /// </summary>
    /// <param name="input">planes x height x width values.</param>
    /// <param name="output">Receives planes x outHeight x outWidth values, outHeight = (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1 and the same for the width.</param>
    /// <param name="planes">Number of planes, batch size times channels.</param>
    /// <param name="height">Rows per input plane.</param>
    /// <param name="width">Columns per input plane.</param>
    /// <param name="kernelHeight">Window rows.</param>
    /// <param name="kernelWidth">Window columns.</param>
    /// <param name="strideHeight">Rows between vertically neighbouring windows.</param>
    /// <param name="strideWidth">Columns between horizontally neighbouring windows.</param>
    /// <param name="paddingHeight">Padding rows above and below, at most kernelHeight / 2.</param>
    /// <param name="paddingWidth">Padding columns left and right, at most kernelWidth / 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or padding is out of range, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public static void MaxPool2D(
        ReadOnlySpan<float> input,
        Span<float> output,
        int planes,
        int height,
        int width,
        int kernelHeight,
        int kernelWidth,
        int strideHeight,
        int strideWidth,
        int paddingHeight,
        int paddingWidth)
    {
        var window = PoolingWindow.Create(
            input.Length, output.Length, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);
        if (window.IsSquareWithoutPadding)
        {
            MaxPool2D(input, output, planes, height, width, kernelHeight, strideHeight);
            return;
        }

        fixed (float* pInput = input, pOutput = output)
        {
            PaddedMaxPoolScalar(pInput, pOutput, null, window);
        }
    }

    /// <summary>Pools every plane, writing indexes only when <paramref name="argmax"/> is not null.</summary>
    private static void PaddedMaxPoolScalar(float* input, float* output, int* argmax, in PoolingWindow window)
    {
        int planeLength = window.Height * window.Width;
        int outputIndex = 0;
        for (int plane = 0; plane < window.Planes; plane++)
        {
            int planeStart = plane * planeLength;
            for (int oy = 0; oy < window.OutHeight; oy++)
            {
                (int firstY, int endY) = window.RowsUnder(oy);
                for (int ox = 0; ox < window.OutWidth; ox++)
                {
                    (int firstX, int endX) = window.ColumnsUnder(ox);
                    int bestIndex = planeStart + firstY * window.Width + firstX;
                    float best = input[bestIndex];
                    for (int y = firstY; y < endY; y++)
                    {
                        int rowStart = planeStart + y * window.Width;
                        for (int x = firstX; x < endX; x++)
                        {
                            float value = input[rowStart + x];
                            if (value > best || float.IsNaN(value))
                            {
                                best = value;
                                bestIndex = rowStart + x;
                            }
                        }
                    }

                    output[outputIndex] = best;
                    if (argmax != null)
                    {
                        argmax[outputIndex] = bestIndex;
                    }

                    outputIndex++;
                }
            }
        }
    }
}

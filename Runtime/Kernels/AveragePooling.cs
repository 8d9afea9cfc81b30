namespace ModelCompiler.Kernels;

/// <summary>
/// 2-D average pooling with zero padding, as PyTorch's <c>AvgPool2d</c> with ceil_mode = false and no divisor
/// override, and global average pooling, as <c>AdaptiveAvgPool2d(1)</c>.
/// </summary>
/// <remarks>
/// A window's average is its float sum in row-major order divided by the window area (countIncludePadding) or by
/// the number of input cells it covers, the order and arithmetic of the reference interpreter, so the two agree bit
/// for bit. Windows are scalar loops. Global average pooling sums each plane in double (vectorized) and rounds the
/// mean once.
/// </remarks>
public static unsafe partial class Pooling
{
    /// <summary>Computes the average of each window of each plane.</summary>
    /// <param name="input">planes x height x width values.</param>
    /// <param name="output">Receives planes x outHeight x outWidth values, outHeight = (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1 and the same for the width.</param>
    /// <param name="planes">Number of planes, batch size times channels.</param>
    /// <param name="height">Rows per input plane.</param>
    /// <param name="width">Columns per input plane.</param>
    /// <param name="kernelHeight">Window rows.</param>
    /// <param name="kernelWidth">Window columns.</param>
    /// <param name="strideHeight">Rows between vertically neighbouring windows.</param>
    /// <param name="strideWidth">Columns between horizontally neighbouring windows.</param>
    /// <param name="paddingHeight">Zero rows above and below, at most kernelHeight / 2.</param>
    /// <param name="paddingWidth">Zero columns left and right, at most kernelWidth / 2.</param>
    /// <param name="countIncludePadding">True to divide by kernelHeight * kernelWidth, false to divide by the number of input cells in the window.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or padding is out of range, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public static void AvgPool2D(
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
        int paddingWidth,
        bool countIncludePadding)
    {
        var window = PoolingWindow.Create(
            input.Length, output.Length, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);
        int planeLength = height * width;
        int outputIndex = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> values = input.Slice(plane * planeLength, planeLength);
            for (int oy = 0; oy < window.OutHeight; oy++)
            {
                (int firstY, int endY) = window.RowsUnder(oy);
                for (int ox = 0; ox < window.OutWidth; ox++)
                {
                    (int firstX, int endX) = window.ColumnsUnder(ox);
                    float sum = 0f;
                    for (int y = firstY; y < endY; y++)
                    {
                        ReadOnlySpan<float> row = values.Slice(y * width + firstX, endX - firstX);
                        for (int x = 0; x < row.Length; x++)
                        {
                            sum += row[x];
                        }
                    }

                    output[outputIndex++] = sum / AverageDivisor(window, countIncludePadding, endY - firstY, endX - firstX);
                }
            }
        }
    }

    /// <summary>
    /// Computes the input gradient of <see cref="AvgPool2D"/>: clears the planes x height x width values of
    /// <paramref name="dInput"/>, then adds to every input cell of each window that window's gradient divided by its
    /// divisor. Overlapping windows add several shares to one cell.
    /// </summary>
    /// <param name="dOutput">Gradient of each pooled output, planes x outHeight x outWidth values.</param>
    /// <param name="dInput">Receives planes x height x width values; it must not overlap dOutput.</param>
    /// <param name="planes">Number of planes, batch size times channels.</param>
    /// <param name="height">Rows per input plane.</param>
    /// <param name="width">Columns per input plane.</param>
    /// <param name="kernelHeight">Window rows.</param>
    /// <param name="kernelWidth">Window columns.</param>
    /// <param name="strideHeight">Rows between vertically neighbouring windows.</param>
    /// <param name="strideWidth">Columns between horizontally neighbouring windows.</param>
    /// <param name="paddingHeight">Zero rows above and below, at most kernelHeight / 2.</param>
    /// <param name="paddingWidth">Zero columns left and right, at most kernelWidth / 2.</param>
    /// <param name="countIncludePadding">The divisor rule of the forward pass.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or padding is out of range, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public static void AvgPool2DBackward(
        ReadOnlySpan<float> dOutput,
        Span<float> dInput,
        int planes,
        int height,
        int width,
        int kernelHeight,
        int kernelWidth,
        int strideHeight,
        int strideWidth,
        int paddingHeight,
        int paddingWidth,
        bool countIncludePadding)
    {
        var window = PoolingWindow.Create(
            dInput.Length, dOutput.Length, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth,
            nameof(dInput), nameof(dOutput));
        int planeLength = height * width;
        dInput[..(planes * planeLength)].Clear();
        int outputIndex = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            Span<float> gradients = dInput.Slice(plane * planeLength, planeLength);
            for (int oy = 0; oy < window.OutHeight; oy++)
            {
                (int firstY, int endY) = window.RowsUnder(oy);
                for (int ox = 0; ox < window.OutWidth; ox++)
                {
                    (int firstX, int endX) = window.ColumnsUnder(ox);
                    float share = dOutput[outputIndex++] / AverageDivisor(window, countIncludePadding, endY - firstY, endX - firstX);
                    for (int y = firstY; y < endY; y++)
                    {
                        Span<float> row = gradients.Slice(y * width + firstX, endX - firstX);
                        for (int x = 0; x < row.Length; x++)
                        {
                            row[x] += share;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Computes output[p] = the mean of the planeSize values of plane p.</summary>
    /// <param name="input">planes x planeSize values.</param>
    /// <param name="output">Receives planes values.</param>
    /// <param name="planes">Number of planes, batch size times channels.</param>
    /// <param name="planeSize">Values per plane, height * width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">planes is negative or planeSize is below 1.</exception>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public static void GlobalAvgPool(ReadOnlySpan<float> input, Span<float> output, int planes, int planeSize)
    {
        ValidateGlobalPooling(input.Length, nameof(input), output.Length, nameof(output), planes, planeSize);
        fixed (float* pInput = input)
        {
            for (int plane = 0; plane < planes; plane++)
            {
                output[plane] = (float)(RowReductions.Sum(pInput + (nint)plane * planeSize, planeSize) / planeSize);
            }
        }
    }

    /// <summary>Computes the input gradient of <see cref="GlobalAvgPool"/>: every value of plane p receives dOutput[p] / planeSize.</summary>
    /// <param name="dOutput">Gradient of each plane's mean, planes values.</param>
    /// <param name="dInput">Receives planes x planeSize values; it must not overlap dOutput.</param>
    /// <param name="planes">Number of planes, batch size times channels.</param>
    /// <param name="planeSize">Values per plane, height * width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">planes is negative or planeSize is below 1.</exception>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public static void GlobalAvgPoolBackward(ReadOnlySpan<float> dOutput, Span<float> dInput, int planes, int planeSize)
    {
        ValidateGlobalPooling(dInput.Length, nameof(dInput), dOutput.Length, nameof(dOutput), planes, planeSize);
        for (int plane = 0; plane < planes; plane++)
        {
            dInput.Slice(plane * planeSize, planeSize).Fill(dOutput[plane] / planeSize);
        }
    }

    private static float AverageDivisor(in PoolingWindow window, bool countIncludePadding, int rows, int columns) =>
        countIncludePadding ? window.KernelHeight * window.KernelWidth : rows * columns;

    private static void ValidateGlobalPooling(int inputLength, string inputName, int outputLength, string outputName, int planes, int planeSize)
    {
        KernelArguments.RequireNonNegative(planes);
        KernelArguments.RequirePositive(planeSize);
        KernelArguments.RequireLength(inputLength, (long)planes * planeSize, inputName, "planes * planeSize");
        KernelArguments.RequireLength(outputLength, planes, outputName, nameof(planes));
    }
}

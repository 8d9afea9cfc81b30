namespace ModelCompiler.Reference;

/// <summary>
/// Per-dimension geometry of a sliding window: a convolution kernel or a pooling window.
/// </summary>
/// <remarks>
/// Window position (outY, outX) covers input rows Top(outY) + k * DilationHeight for k in [0, KernelHeight),
/// and columns likewise. Rows and columns outside the input are padding.
/// </remarks>
internal readonly record struct ReferenceWindow(
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int PaddingHeight,
    int PaddingWidth,
    int DilationHeight,
    int DilationWidth)
{
    /// <summary>Returns the geometry of a convolution, which is dilated and never has an unset stride.</summary>
    public static ReferenceWindow Of(Conv2DLayer layer) => new(
        layer.KernelHeight,
        layer.KernelWidth,
        layer.StrideHeight,
        layer.StrideWidth,
        layer.PaddingHeight,
        layer.PaddingWidth,
        layer.DilationHeight,
        layer.DilationWidth);

    /// <summary>Returns the geometry of a max-pooling layer, with a stride of 0 replaced by the window size of that dimension.</summary>
    public static ReferenceWindow Of(MaxPool2DLayer layer) => new(
        layer.KernelHeight,
        layer.KernelWidth,
        StrideOrKernel(layer.StrideHeight, layer.KernelHeight),
        StrideOrKernel(layer.StrideWidth, layer.KernelWidth),
        layer.PaddingHeight,
        layer.PaddingWidth,
        DilationHeight: 1,
        DilationWidth: 1);

    /// <summary>Returns the geometry of an average-pooling layer, with a stride of 0 replaced by the window size of that dimension.</summary>
    public static ReferenceWindow Of(AvgPool2DLayer layer) => new(
        layer.KernelHeight,
        layer.KernelWidth,
        StrideOrKernel(layer.StrideHeight, layer.KernelHeight),
        StrideOrKernel(layer.StrideWidth, layer.KernelWidth),
        layer.PaddingHeight,
        layer.PaddingWidth,
        DilationHeight: 1,
        DilationWidth: 1);

    /// <summary>Returns the input row of the window's first kernel row at output row <paramref name="outY"/>, negative inside the top padding.</summary>
    public int Top(int outY) => (outY * StrideHeight) - PaddingHeight;

    /// <summary>Returns the input column of the window's first kernel column at output column <paramref name="outX"/>, negative inside the left padding.</summary>
    public int Left(int outX) => (outX * StrideWidth) - PaddingWidth;

    /// <summary>
    /// Returns the kernel taps [First, End) whose input position start + tap * dilation lies in [0, inputLength).
    /// The range is empty when First &gt;= End.
    /// </summary>
    public static (int First, int End) TapsInside(int start, int kernelSize, int dilation, int inputLength)
    {
        // The smallest tap with start + tap * dilation >= 0, and one past the largest with start + tap * dilation <= inputLength - 1.
        int first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
        int lastOffset = inputLength - 1 - start;
        int end = lastOffset < 0 ? 0 : Math.Min(kernelSize, (lastOffset / dilation) + 1);
        return (first, end);
    }

    private static int StrideOrKernel(int stride, int kernel) => stride == 0 ? kernel : stride;
}

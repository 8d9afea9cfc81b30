namespace ModelCompiler.Kernels;

/// <summary>
/// The validated geometry of a padded 2-D pooling: planes of height x width inputs, window size, strides, padding
/// and the output size, for the max- and average-pooling kernels.
/// </summary>
/// <remarks>
/// Window (oy, ox) covers KernelHeight input rows from oy * StrideHeight - PaddingHeight, and KernelWidth columns
/// from ox * StrideWidth - PaddingWidth. Rows and columns outside the input are padding. Padding is at most half the window, the limit that
/// PyTorch's pooling checks, so every window covers at least one input cell.
/// </remarks>
internal readonly record struct PoolingWindow(
    int Planes,
    int Height,
    int Width,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int PaddingHeight,
    int PaddingWidth,
    int OutHeight,
    int OutWidth)
{
    /// <summary>Number of outputs, Planes * OutHeight * OutWidth.</summary>
    public long OutputLength => (long)Planes * OutHeight * OutWidth;

    /// <summary>Number of inputs, Planes * Height * Width.</summary>
    public long InputLength => (long)Planes * Height * Width;

    /// <summary>Whether the window is square with equal strides and no padding, the shape of the unpadded max-pool overloads.</summary>
    public bool IsSquareWithoutPadding =>
        KernelHeight == KernelWidth && StrideHeight == StrideWidth && PaddingHeight == 0 && PaddingWidth == 0;

    /// <summary>
    /// Validates the geometry and the lengths of the input and output spans, and returns it with the output size
    /// (Height + 2 * PaddingHeight - KernelHeight) / StrideHeight + 1 per dimension, rounded down.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or padding is out of range, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentException">The input or output span is too short.</exception>
    public static PoolingWindow Create(
        int inputLength,
        int outputLength,
        int planes,
        int height,
        int width,
        int kernelHeight,
        int kernelWidth,
        int strideHeight,
        int strideWidth,
        int paddingHeight,
        int paddingWidth,
        string inputName = "input",
        string outputName = "output")
    {
        KernelArguments.RequireNonNegative(planes);
        KernelArguments.RequirePositive(height);
        KernelArguments.RequirePositive(width);
        KernelArguments.RequirePositive(kernelHeight);
        KernelArguments.RequirePositive(kernelWidth);
        KernelArguments.RequirePositive(strideHeight);
        KernelArguments.RequirePositive(strideWidth);
        RequirePadding(paddingHeight, kernelHeight, nameof(paddingHeight), nameof(kernelHeight));
        RequirePadding(paddingWidth, kernelWidth, nameof(paddingWidth), nameof(kernelWidth));
        RequireWindowFits(kernelHeight, height, paddingHeight, nameof(kernelHeight), nameof(height), nameof(paddingHeight));
        RequireWindowFits(kernelWidth, width, paddingWidth, nameof(kernelWidth), nameof(width), nameof(paddingWidth));

        int outHeight = (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1;
        int outWidth = (width + 2 * paddingWidth - kernelWidth) / strideWidth + 1;
        var window = new PoolingWindow(
            planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth, outHeight, outWidth);
        KernelArguments.RequireLength(inputLength, window.InputLength, inputName, "planes * height * width");
        KernelArguments.RequireLength(outputLength, window.OutputLength, outputName, "planes * outHeight * outWidth");
        return window;
    }

    /// <summary>Returns the input rows [First, End) under output row <paramref name="oy"/>, never empty.</summary>
    public (int First, int End) RowsUnder(int oy)
    {
        int top = oy * StrideHeight - PaddingHeight;
        return (Math.Max(top, 0), Math.Min(top + KernelHeight, Height));
    }

    /// <summary>Returns the input columns [First, End) under output column <paramref name="ox"/>, never empty.</summary>
    public (int First, int End) ColumnsUnder(int ox)
    {
        int left = ox * StrideWidth - PaddingWidth;
        return (Math.Max(left, 0), Math.Min(left + KernelWidth, Width));
    }

    private static void RequirePadding(int padding, int kernel, string paddingName, string kernelName)
    {
        if (padding < 0 || padding > kernel / 2)
        {
            throw new ArgumentOutOfRangeException(
                paddingName,
                padding,
                $"{paddingName} is {padding} but must be from 0 to {kernelName} / 2 = {kernel / 2}, so that every window covers an input cell.");
        }
    }

    private static void RequireWindowFits(int kernel, int size, int padding, string kernelName, string sizeName, string paddingName)
    {
        long paddedSize = size + 2L * padding;
        if (kernel > paddedSize)
        {
            throw new ArgumentOutOfRangeException(
                kernelName,
                kernel,
                $"{kernelName} is {kernel} but must not exceed the padded input, {sizeName} + 2 * {paddingName} = {paddedSize}.");
        }
    }
}

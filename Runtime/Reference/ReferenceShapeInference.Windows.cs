namespace ModelCompiler.Reference;

/// <summary>Shape rules for convolution and pooling.</summary>
internal static partial class ReferenceShapeInference
{
    private static ReferenceLayerInfo InferConvolution(string prefix, Conv2DLayer layer, ReferenceShape input, int parameterOffset)
    {
        RequirePositive(prefix, "Filters", layer.Filters);
        RequirePositive(prefix, "KernelHeight", layer.KernelHeight);
        RequirePositive(prefix, "KernelWidth", layer.KernelWidth);
        RequirePositive(prefix, "StrideHeight", layer.StrideHeight);
        RequirePositive(prefix, "StrideWidth", layer.StrideWidth);
        RequireNonNegative(prefix, "PaddingHeight", layer.PaddingHeight);
        RequireNonNegative(prefix, "PaddingWidth", layer.PaddingWidth);
        RequirePositive(prefix, "DilationHeight", layer.DilationHeight);
        RequirePositive(prefix, "DilationWidth", layer.DilationWidth);

        var window = ReferenceWindow.Of(layer);
        int height = InferWindowedDimension(prefix, "height", input.Height, "kernel", window.KernelHeight, window.StrideHeight, window.PaddingHeight, window.DilationHeight, showPadding: true);
        int width = InferWindowedDimension(prefix, "width", input.Width, "kernel", window.KernelWidth, window.StrideWidth, window.PaddingWidth, window.DilationWidth, showPadding: true);
        var output = new ReferenceShape(layer.Filters, height, width);
        CheckOutputSize(prefix, output);

        long weightCount = (long)layer.Filters * input.Channels * layer.KernelHeight * layer.KernelWidth;
        CheckWeightCount(prefix, weightCount, $"{layer.Filters} x {input.Channels} x {layer.KernelHeight} x {layer.KernelWidth}");
        return WithParameters(prefix, layer, input, output, parameterOffset, (int)weightCount, layer.Filters);
    }

    private static ReferenceLayerInfo InferMaxPool(string prefix, MaxPool2DLayer layer, ReferenceShape input, int parameterOffset)
    {
        ValidatePooling(prefix, layer.KernelHeight, layer.KernelWidth, layer.StrideHeight, layer.StrideWidth, layer.PaddingHeight, layer.PaddingWidth);
        ReferenceShape output = InferPoolingOutput(prefix, ReferenceWindow.Of(layer), input);
        return WithoutParameters(layer, input, output, parameterOffset);
    }

    private static ReferenceLayerInfo InferAvgPool(string prefix, AvgPool2DLayer layer, ReferenceShape input, int parameterOffset)
    {
        ValidatePooling(prefix, layer.KernelHeight, layer.KernelWidth, layer.StrideHeight, layer.StrideWidth, layer.PaddingHeight, layer.PaddingWidth);
        ReferenceShape output = InferPoolingOutput(prefix, ReferenceWindow.Of(layer), input);
        return WithoutParameters(layer, input, output, parameterOffset);
    }

    private static ReferenceLayerInfo InferGlobalAvgPool(LayerDescription layer, ReferenceShape input, int parameterOffset)
    {
        return WithoutParameters(layer, input, new ReferenceShape(input.Channels, 1, 1), parameterOffset);
    }

    /// <summary>
    /// Checks a pooling window's declared values. A stride of 0 means the window size of that dimension. Padding may
    /// be at most half the window (kernel / 2, rounded down), the limit PyTorch's pooling checks, which also keeps an
    /// input cell in every window.
    /// </summary>
    private static void ValidatePooling(
        string prefix, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int paddingHeight, int paddingWidth)
    {
        RequirePositive(prefix, "KernelHeight", kernelHeight);
        RequirePositive(prefix, "KernelWidth", kernelWidth);
        RequireStrideOrZero(prefix, "StrideHeight", strideHeight, "height");
        RequireStrideOrZero(prefix, "StrideWidth", strideWidth, "width");
        RequirePoolingPadding(prefix, "PaddingHeight", paddingHeight, "KernelHeight", kernelHeight);
        RequirePoolingPadding(prefix, "PaddingWidth", paddingWidth, "KernelWidth", kernelWidth);
    }

    private static ReferenceShape InferPoolingOutput(string prefix, ReferenceWindow window, ReferenceShape input)
    {
        // Unpadded pooling messages leave the padding out of the arithmetic.
        int height = InferWindowedDimension(
            prefix, "height", input.Height, "window", window.KernelHeight, window.StrideHeight, window.PaddingHeight, dilation: 1, showPadding: window.PaddingHeight != 0);
        int width = InferWindowedDimension(
            prefix, "width", input.Width, "window", window.KernelWidth, window.StrideWidth, window.PaddingWidth, dilation: 1, showPadding: window.PaddingWidth != 0);
        return new ReferenceShape(input.Channels, height, width);
    }

    private static void RequireStrideOrZero(string prefix, string name, int value, string dimension)
    {
        if (value < 0)
        {
            throw new ArgumentException(
                $"{prefix}: {name} must be positive, or 0 to use the window {dimension}, but is {value}.", "description");
        }
    }

    private static void RequirePoolingPadding(string prefix, string name, int padding, string kernelName, int kernel)
    {
        RequireNonNegative(prefix, name, padding);
        if (padding > kernel / 2)
        {
            throw new ArgumentException(
                $"{prefix}: {name} {padding} is more than half the window, {kernelName} {kernel} / 2 = {kernel / 2}. " +
                "PyTorch rejects such pooling because a window could then cover only padding. Lower the padding or " +
                "enlarge the window.",
                "description");
        }
    }

    /// <summary>
    /// Returns the output length (input + 2 * padding - dilation * (size - 1) - 1) / stride + 1 along one dimension,
    /// and throws when the window does not fit or the division is not exact.
    /// </summary>
    private static int InferWindowedDimension(
        string prefix, string dimension, int inputLength, string windowName, int size, int stride, int padding, int dilation, bool showPadding)
    {
        long paddedLength = inputLength + (2L * padding);
        long extent = ((long)dilation * (size - 1)) + 1;
        string paddedText = showPadding ? $"{inputLength} + 2 * {padding} = {paddedLength}" : $"{inputLength}";
        if (extent > paddedLength)
        {
            string inputName = showPadding ? "padded input" : "input";
            string windowText = dilation == 1
                ? $"{windowName} size {size}"
                : $"dilated {windowName} extent {dilation} * ({size} - 1) + 1 = {extent}";
            throw new ArgumentException(
                $"{prefix}: the {windowText} is larger than the {inputName} {dimension} {paddedText}.", "description");
        }

        long coveredLength = paddedLength - extent;
        if (coveredLength % stride != 0)
        {
            string formula = (dilation, showPadding) switch
            {
                (1, true) => $"({inputLength} - {size} + 2 * {padding}) / {stride} + 1",
                (1, false) => $"({inputLength} - {size}) / {stride} + 1",
                _ => $"({inputLength} + 2 * {padding} - {dilation} * ({size} - 1) - 1) / {stride} + 1",
            };
            throw new ArgumentException(
                $"{prefix}: the output {dimension} {formula} is not a whole number because {coveredLength} is not " +
                $"divisible by {stride}. Change the size, stride, padding or dilation so that the windows tile the input.",
                "description");
        }

        return (int)((coveredLength / stride) + 1);
    }
}

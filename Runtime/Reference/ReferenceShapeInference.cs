namespace ModelCompiler.Reference;

/// <summary>
/// Infers each layer's shapes and parameter ranges from a <see cref="ModelDescription"/> with the standard
/// formulas, independently of the generator, and rejects descriptions that no network can implement.
/// </summary>
internal static class ReferenceShapeInference
{
    /// <summary>
    /// Returns one <see cref="ReferenceLayerInfo"/> per declared layer, in declaration order.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The input shape or a layer is invalid, or the last layer is not the only
    /// <see cref="SoftmaxCrossEntropyLayer"/>. The message names the layer index, the value and the arithmetic.
    /// </exception>
    public static ReferenceLayerInfo[] InferLayers(ModelDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        ValidateInputShape(description);

        IReadOnlyList<LayerDescription> layers = description.Layers
            ?? throw new ArgumentException("The model description is invalid because its Layers list is null.", nameof(description));
        ValidateLossIsLast(layers);

        var infos = new ReferenceLayerInfo[layers.Count];
        var shape = new ReferenceShape(description.Channels, description.Height, description.Width);
        int parameterOffset = 0;
        for (int index = 0; index < layers.Count; index++)
        {
            ReferenceLayerInfo info = InferLayer(index, layers[index], shape, parameterOffset);
            infos[index] = info;
            shape = info.OutputShape;
            parameterOffset = info.BiasOffset + info.BiasCount;
        }

        return infos;
    }

    /// <summary>Returns the stride of a pooling layer, which is its window size when the stride is unset (0).</summary>
    public static int EffectiveStride(MaxPool2DLayer layer) => layer.Stride == 0 ? layer.Size : layer.Stride;

    private static void ValidateInputShape(ModelDescription description)
    {
        ValidateInputDimension("channels", description.Channels);
        ValidateInputDimension("height", description.Height);
        ValidateInputDimension("width", description.Width);
        if ((long)description.Channels * description.Height * description.Width > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The input shape {description.Channels}x{description.Height}x{description.Width} has more than " +
                $"{Array.MaxLength} values, the maximum array length.",
                nameof(description));
        }
    }

    private static void ValidateInputDimension(string name, int value)
    {
        if (value < 1)
        {
            throw new ArgumentException($"The input {name} must be positive, but is {value}.", "description");
        }
    }

    private static void ValidateLossIsLast(IReadOnlyList<LayerDescription> layers)
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException(
                "The model has no layers, but it needs a SoftmaxCrossEntropyLayer as its last layer.", "description");
        }

        int lastIndex = layers.Count - 1;
        for (int index = 0; index < lastIndex; index++)
        {
            if (layers[index] is SoftmaxCrossEntropyLayer)
            {
                throw new ArgumentException(
                    $"Layer {index} (SoftmaxCrossEntropyLayer) must be the last layer, but {lastIndex - index} " +
                    "layer(s) follow it.",
                    "description");
            }
        }

        if (layers[lastIndex] is not SoftmaxCrossEntropyLayer)
        {
            throw new ArgumentException(
                $"The last layer must be a SoftmaxCrossEntropyLayer, but layer {lastIndex} is " +
                $"{layers[lastIndex]?.ToString() ?? "null"}. Add the loss as the last layer.",
                "description");
        }
    }

    private static ReferenceLayerInfo InferLayer(int index, LayerDescription? layer, ReferenceShape input, int parameterOffset)
    {
        return layer switch
        {
            Conv2DLayer convolution => InferConvolution(index, convolution, input, parameterOffset),
            MaxPool2DLayer pooling => InferMaxPool(index, pooling, input, parameterOffset),
            DenseLayer dense => InferDense(index, dense, input, parameterOffset),
            ReLULayer or SoftmaxCrossEntropyLayer => InferParameterFree(layer, input, parameterOffset),
            null => throw new ArgumentException($"Layer {index} is null.", "description"),
            _ => throw new ArgumentException(
                $"Layer {index} has the unsupported type {layer.GetType().Name}. The reference interpreter supports " +
                "Conv2DLayer, MaxPool2DLayer, DenseLayer, ReLULayer and SoftmaxCrossEntropyLayer.",
                "description"),
        };
    }

    private static ReferenceLayerInfo InferConvolution(int index, Conv2DLayer layer, ReferenceShape input, int parameterOffset)
    {
        string prefix = $"Layer {index} ({layer})";
        RequirePositive(prefix, "Filters", layer.Filters);
        RequirePositive(prefix, "Size", layer.Size);
        RequirePositive(prefix, "Stride", layer.Stride);
        if (layer.Padding < 0)
        {
            throw new ArgumentException($"{prefix}: Padding must be zero or positive, but is {layer.Padding}.", "description");
        }

        int height = InferWindowedDimension(prefix, "height", input.Height, "kernel", layer.Size, layer.Stride, layer.Padding);
        int width = InferWindowedDimension(prefix, "width", input.Width, "kernel", layer.Size, layer.Stride, layer.Padding);
        var output = new ReferenceShape(layer.Filters, height, width);
        CheckOutputSize(prefix, output);

        long weightCount = (long)layer.Filters * input.Channels * layer.Size * layer.Size;
        CheckWeightCount(prefix, weightCount, $"{layer.Filters} x {input.Channels} x {layer.Size} x {layer.Size}");
        return WithParameters(prefix, layer, input, output, parameterOffset, (int)weightCount, layer.Filters);
    }

    private static ReferenceLayerInfo InferMaxPool(int index, MaxPool2DLayer layer, ReferenceShape input, int parameterOffset)
    {
        string prefix = $"Layer {index} ({layer})";
        RequirePositive(prefix, "Size", layer.Size);
        if (layer.Stride < 0)
        {
            throw new ArgumentException(
                $"{prefix}: Stride must be positive, or 0 to use the window size, but is {layer.Stride}.", "description");
        }

        int stride = EffectiveStride(layer);
        int height = InferWindowedDimension(prefix, "height", input.Height, "window", layer.Size, stride, padding: null);
        int width = InferWindowedDimension(prefix, "width", input.Width, "window", layer.Size, stride, padding: null);
        var output = new ReferenceShape(input.Channels, height, width);
        return WithParameters(prefix, layer, input, output, parameterOffset, weightCount: 0, biasCount: 0);
    }

    private static ReferenceLayerInfo InferDense(int index, DenseLayer layer, ReferenceShape input, int parameterOffset)
    {
        string prefix = $"Layer {index} ({layer})";
        RequirePositive(prefix, "Units", layer.Units);

        long weightCount = (long)layer.Units * input.Size;
        CheckWeightCount(prefix, weightCount, $"{layer.Units} x {input.Size}");
        var output = new ReferenceShape(layer.Units, 1, 1);
        return WithParameters(prefix, layer, input, output, parameterOffset, (int)weightCount, layer.Units);
    }

    private static ReferenceLayerInfo InferParameterFree(LayerDescription layer, ReferenceShape input, int parameterOffset)
    {
        // The loss reduces each example's logits to one value.
        ReferenceShape output = layer is SoftmaxCrossEntropyLayer ? new ReferenceShape(1, 1, 1) : input;
        return new ReferenceLayerInfo(layer, input, output, parameterOffset, 0, parameterOffset, 0);
    }

    private static ReferenceLayerInfo WithParameters(
        string prefix,
        LayerDescription layer,
        ReferenceShape input,
        ReferenceShape output,
        int parameterOffset,
        int weightCount,
        int biasCount)
    {
        long parameterEnd = (long)parameterOffset + weightCount + biasCount;
        if (parameterEnd > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{prefix}: the layers up to and including this one have {parameterEnd} parameters, more than " +
                $"{Array.MaxLength}, the maximum array length.",
                "description");
        }

        int biasOffset = parameterOffset + weightCount;
        return new ReferenceLayerInfo(layer, input, output, parameterOffset, weightCount, biasOffset, biasCount);
    }

    /// <summary>
    /// Returns the output length (input - size + 2 * padding) / stride + 1 along one dimension, and throws
    /// when the window does not fit or the division is not exact.
    /// </summary>
    private static int InferWindowedDimension(
        string prefix, string dimension, int inputLength, string windowName, int size, int stride, int? padding)
    {
        long paddedLength = inputLength + (2L * (padding ?? 0));
        string paddedText = padding is int p ? $"{inputLength} + 2 * {p} = {paddedLength}" : $"{inputLength}";
        if (size > paddedLength)
        {
            string inputName = padding is null ? "input" : "padded input";
            throw new ArgumentException(
                $"{prefix}: the {windowName} size {size} is larger than the {inputName} {dimension} {paddedText}.",
                "description");
        }

        long coveredLength = paddedLength - size;
        if (coveredLength % stride != 0)
        {
            string formula = padding is int q
                ? $"({inputLength} - {size} + 2 * {q}) / {stride} + 1"
                : $"({inputLength} - {size}) / {stride} + 1";
            throw new ArgumentException(
                $"{prefix}: the output {dimension} {formula} is not a whole number because {coveredLength} is not " +
                $"divisible by {stride}. Change the size, stride or padding so that the windows tile the input.",
                "description");
        }

        return (int)((coveredLength / stride) + 1);
    }

    private static void RequirePositive(string prefix, string name, int value)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{prefix}: {name} must be positive, but is {value}.", "description");
        }
    }

    private static void CheckOutputSize(string prefix, ReferenceShape output)
    {
        if ((long)output.Channels * output.Height * output.Width > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{prefix}: the output shape {output.Channels}x{output.Height}x{output.Width} has more than " +
                $"{Array.MaxLength} values, the maximum array length.",
                "description");
        }
    }

    private static void CheckWeightCount(string prefix, long weightCount, string product)
    {
        if (weightCount > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{prefix}: the weight count {product} = {weightCount} is larger than {Array.MaxLength}, the maximum array length.",
                "description");
        }
    }
}

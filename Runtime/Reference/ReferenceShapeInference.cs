namespace ModelCompiler.Reference;

/// <summary>
/// Infers each layer's shapes, parameter ranges and state ranges from a <see cref="ModelDescription"/> with the
/// standard formulas, independently of the generator, and rejects descriptions that no network can implement.
/// </summary>
/// <remarks>
/// This file contains the driver, the loss placement rules and the shared checks. The per-layer rules are in
/// ReferenceShapeInference.Windows.cs (convolution and pooling), ReferenceShapeInference.Activations.cs and
/// ReferenceShapeInference.Normalization.cs.
/// </remarks>
internal static partial class ReferenceShapeInference
{
    /// <summary>The layer types that may be the last layer, in the order that messages name them.</summary>
    private const string LossTypeNames = "SoftmaxCrossEntropyLayer or MulticlassHingeLayer";

    /// <summary>
    /// Returns one <see cref="ReferenceLayerInfo"/> per declared layer, in declaration order.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The input shape or a layer is invalid, or the last layer is not the only loss layer
    /// (<see cref="SoftmaxCrossEntropyLayer"/> or <see cref="MulticlassHingeLayer"/>). The message names the layer
    /// index, the value and the arithmetic.
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
        int stateOffset = 0;
        for (int index = 0; index < layers.Count; index++)
        {
            ReferenceLayerInfo info = InferLayer(index, layers[index], shape, parameterOffset) with { StateOffset = stateOffset };
            infos[index] = info;
            shape = info.OutputShape;
            parameterOffset = info.BiasOffset + info.BiasCount;
            stateOffset += info.StateCount;
        }

        return infos;
    }

    /// <summary>Returns whether <paramref name="layer"/> is a loss, which must be the last layer.</summary>
    public static bool IsLoss(LayerDescription? layer) => layer is SoftmaxCrossEntropyLayer or MulticlassHingeLayer;

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
                $"The model has no layers, but it needs a loss layer ({LossTypeNames}) as its last layer.", "description");
        }

        int lastIndex = layers.Count - 1;
        for (int index = 0; index < lastIndex; index++)
        {
            if (IsLoss(layers[index]))
            {
                throw new ArgumentException(
                    $"Layer {index} ({layers[index].GetType().Name}) must be the last layer, but {lastIndex - index} " +
                    "layer(s) follow it.",
                    "description");
            }
        }

        if (!IsLoss(layers[lastIndex]))
        {
            throw new ArgumentException(
                $"The last layer must be a loss layer ({LossTypeNames}), but layer {lastIndex} is " +
                $"{layers[lastIndex]?.ToString() ?? "null"}. Add the loss as the last layer.",
                "description");
        }
    }

    private static ReferenceLayerInfo InferLayer(int index, LayerDescription? layer, ReferenceShape input, int parameterOffset)
    {
        if (layer is null)
        {
            throw new ArgumentException($"Layer {index} is null.", "description");
        }

        string prefix = $"Layer {index} ({layer})";
        return layer switch
        {
            Conv2DLayer convolution => InferConvolution(prefix, convolution, input, parameterOffset),
            MaxPool2DLayer pooling => InferMaxPool(prefix, pooling, input, parameterOffset),
            AvgPool2DLayer pooling => InferAvgPool(prefix, pooling, input, parameterOffset),
            GlobalAvgPool2DLayer => InferGlobalAvgPool(layer, input, parameterOffset),
            DenseLayer dense => InferDense(prefix, dense, input, parameterOffset),
            ReLULayer or SigmoidLayer or TanhLayer or SELULayer or LeakyReLULayer or ELULayer or SwishLayer or GELULayer
                => InferElementwise(prefix, layer, input, parameterOffset),
            PReLULayer prelu => InferPReLU(prefix, prelu, input, parameterOffset),
            MaxoutLayer maxout => InferMaxout(prefix, maxout, input, parameterOffset),
            BatchNormLayer batchNorm => InferBatchNorm(prefix, batchNorm, input, parameterOffset),
            LayerNormLayer layerNorm => InferLayerNorm(prefix, layerNorm, input, parameterOffset),
            InstanceNormLayer instanceNorm => InferInstanceNorm(prefix, instanceNorm, input, parameterOffset),
            GroupNormLayer groupNorm => InferGroupNorm(prefix, groupNorm, input, parameterOffset),
            SoftmaxCrossEntropyLayer => InferLoss(layer, input, parameterOffset),
            MulticlassHingeLayer hinge => InferHinge(prefix, hinge, input, parameterOffset),
            _ => throw new ArgumentException(
                $"Layer {index} has the unsupported type {layer.GetType().Name}. The reference interpreter supports " +
                "Conv2DLayer, MaxPool2DLayer, AvgPool2DLayer, GlobalAvgPool2DLayer, DenseLayer, ReLULayer, SigmoidLayer, " +
                "TanhLayer, LeakyReLULayer, PReLULayer, ELULayer, SELULayer, MaxoutLayer, SwishLayer, GELULayer, " +
                "BatchNormLayer, LayerNormLayer, InstanceNormLayer, GroupNormLayer, SoftmaxCrossEntropyLayer and " +
                "MulticlassHingeLayer.",
                "description"),
        };
    }

    private static ReferenceLayerInfo InferDense(string prefix, DenseLayer layer, ReferenceShape input, int parameterOffset)
    {
        RequirePositive(prefix, "Units", layer.Units);

        long weightCount = (long)layer.Units * input.Size;
        CheckWeightCount(prefix, weightCount, $"{layer.Units} x {input.Size}");
        var output = new ReferenceShape(layer.Units, 1, 1);
        return WithParameters(prefix, layer, input, output, parameterOffset, (int)weightCount, layer.Units);
    }

    private static ReferenceLayerInfo InferLoss(LayerDescription layer, ReferenceShape input, int parameterOffset)
    {
        // The loss reduces each example's logits to one value.
        return WithoutParameters(layer, input, new ReferenceShape(1, 1, 1), parameterOffset);
    }

    private static ReferenceLayerInfo InferHinge(string prefix, MulticlassHingeLayer layer, ReferenceShape input, int parameterOffset)
    {
        RequireFinite(prefix, "Margin", layer.Margin);
        return InferLoss(layer, input, parameterOffset);
    }

    private static ReferenceLayerInfo WithoutParameters(
        LayerDescription layer, ReferenceShape input, ReferenceShape output, int parameterOffset)
    {
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

    private static void RequirePositive(string prefix, string name, int value)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{prefix}: {name} must be positive, but is {value}.", "description");
        }
    }

    private static void RequireNonNegative(string prefix, string name, int value)
    {
        if (value < 0)
        {
            throw new ArgumentException($"{prefix}: {name} must be zero or positive, but is {value}.", "description");
        }
    }

    private static void RequireFinite(string prefix, string name, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{prefix}: {name} must be a finite number, but is {value}.", "description");
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

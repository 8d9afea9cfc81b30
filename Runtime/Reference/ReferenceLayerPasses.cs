using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Runs one layer's forward or backward pass, or the loss, by handing the layer's slices of the parameter,
/// gradient and state buffers to the class for its kind.
/// </summary>
internal static class ReferenceLayerPasses
{
    /// <summary>Writes the layer's output for the whole batch to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        ReferenceLayerInfo layer,
        ReadOnlySpan<T> parameters,
        ReadOnlySpan<T> input,
        Span<T> output,
        int batchSize,
        ReferenceMode mode,
        Span<T> state)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> weights = parameters.Slice(layer.WeightOffset, layer.WeightCount);
        ReadOnlySpan<T> biases = parameters.Slice(layer.BiasOffset, layer.BiasCount);
        ReferenceShape inputShape = layer.InputShape;
        ReferenceShape outputShape = layer.OutputShape;
        switch (layer.Description)
        {
            case Conv2DLayer convolution:
                ReferenceConvolution.Forward(convolution, inputShape, outputShape, weights, biases, input, output, batchSize);
                break;
            case MaxPool2DLayer pooling:
                ReferenceMaxPool.Forward(pooling, inputShape, outputShape, input, output, batchSize);
                break;
            case AvgPool2DLayer pooling:
                ReferenceAvgPool.Forward(pooling, inputShape, outputShape, input, output, batchSize);
                break;
            case GlobalAvgPool2DLayer:
                ReferenceGlobalAvgPool.Forward(inputShape, input, output, batchSize);
                break;
            case DenseLayer:
                ReferenceDense.Forward(inputShape.Size, outputShape.Size, weights, biases, input, output, batchSize);
                break;
            case ReLULayer:
                ReferenceReLU.Forward(input, output);
                break;
            case SigmoidLayer:
                ReferenceSigmoid.Forward(input, output);
                break;
            case TanhLayer:
                ReferenceTanh.Forward(input, output);
                break;
            case LeakyReLULayer leaky:
                ReferenceLeakyReLU.Forward(leaky, input, output);
                break;
            case PReLULayer prelu:
                ReferencePReLU.Forward(prelu, inputShape, weights, input, output, batchSize);
                break;
            case ELULayer elu:
                ReferenceELU.Forward(elu, input, output);
                break;
            case SELULayer:
                ReferenceSELU.Forward(input, output);
                break;
            case MaxoutLayer maxout:
                ReferenceMaxout.Forward(maxout, inputShape, outputShape, input, output, batchSize);
                break;
            case SwishLayer swish:
                ReferenceSwish.Forward(swish, input, output);
                break;
            case GELULayer gelu:
                ReferenceGELU.Forward(gelu, input, output);
                break;
            case BatchNormLayer batchNorm:
                ReferenceBatchNorm.Forward(
                    batchNorm, inputShape, weights, biases, input, output, batchSize, mode, state.Slice(layer.StateOffset, layer.StateCount));
                break;
            case LayerNormLayer layerNorm:
                ReferenceLayerNorm.Forward(layerNorm, inputShape, weights, biases, input, output, batchSize);
                break;
            case InstanceNormLayer instanceNorm:
                ReferenceInstanceNorm.Forward(instanceNorm, inputShape, weights, biases, input, output, batchSize);
                break;
            case GroupNormLayer groupNorm:
                ReferenceGroupNorm.Forward(groupNorm, inputShape, weights, biases, input, output, batchSize);
                break;
            default:
                throw new InvalidOperationException($"Layer type {layer.Description.GetType().Name} has no forward pass.");
        }
    }

    /// <summary>
    /// Overwrites the layer's slices of <paramref name="parameterGradients"/> and, unless
    /// <paramref name="inputGradients"/> is empty, the gradient with respect to the layer's input.
    /// </summary>
    public static void Backward<T>(
        ReferenceLayerInfo layer,
        ReadOnlySpan<T> parameters,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> parameterGradients,
        Span<T> inputGradients,
        int batchSize,
        ReferenceMode mode,
        ReadOnlySpan<T> state)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> weights = parameters.Slice(layer.WeightOffset, layer.WeightCount);
        Span<T> weightGradients = parameterGradients.Slice(layer.WeightOffset, layer.WeightCount);
        Span<T> biasGradients = parameterGradients.Slice(layer.BiasOffset, layer.BiasCount);
        ReferenceShape inputShape = layer.InputShape;
        ReferenceShape outputShape = layer.OutputShape;
        switch (layer.Description)
        {
            case Conv2DLayer convolution:
                ReferenceConvolution.Backward(
                    convolution, inputShape, outputShape, weights, input, outputGradients, weightGradients, biasGradients, inputGradients, batchSize);
                break;
            case DenseLayer:
                ReferenceDense.Backward(
                    inputShape.Size, outputShape.Size, weights, input, outputGradients, weightGradients, biasGradients, inputGradients, batchSize);
                break;
            case PReLULayer prelu:
                ReferencePReLU.Backward(prelu, inputShape, weights, input, outputGradients, weightGradients, inputGradients, batchSize);
                break;
            case BatchNormLayer batchNorm:
                ReferenceBatchNorm.Backward(
                    batchNorm, inputShape, weights, input, outputGradients, weightGradients, biasGradients, inputGradients,
                    batchSize, mode, state.Slice(layer.StateOffset, layer.StateCount));
                break;
            case LayerNormLayer layerNorm:
                ReferenceLayerNorm.Backward(
                    layerNorm, inputShape, weights, input, outputGradients, weightGradients, biasGradients, inputGradients, batchSize);
                break;
            case InstanceNormLayer instanceNorm:
                ReferenceInstanceNorm.Backward(
                    instanceNorm, inputShape, weights, input, outputGradients, weightGradients, biasGradients, inputGradients, batchSize);
                break;
            case GroupNormLayer groupNorm:
                ReferenceGroupNorm.Backward(
                    groupNorm, inputShape, weights, input, outputGradients, weightGradients, biasGradients, inputGradients, batchSize);
                break;
            default:
                // The remaining layers have no parameters, so there is nothing to do without input gradients.
                if (!inputGradients.IsEmpty)
                {
                    BackwardParameterFree(layer, input, outputGradients, inputGradients, batchSize);
                }

                break;
        }
    }

    /// <summary>Returns the mean loss over the batch of the model's loss layer.</summary>
    public static T LossForward<T>(LayerDescription loss, ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classCount, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        return loss switch
        {
            SoftmaxCrossEntropyLayer => ReferenceSoftmaxCrossEntropy.Forward(logits, labels, classCount, batchSize),
            MulticlassHingeLayer hinge => ReferenceMulticlassHinge.Forward(hinge, logits, labels, classCount, batchSize),
            _ => throw new InvalidOperationException($"Layer type {loss.GetType().Name} is not a loss."),
        };
    }

    /// <summary>Overwrites <paramref name="logitGradients"/> with the gradient of the mean loss with respect to the logits.</summary>
    public static void LossBackward<T>(
        LayerDescription loss, ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classCount, int batchSize, Span<T> logitGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        switch (loss)
        {
            case SoftmaxCrossEntropyLayer:
                ReferenceSoftmaxCrossEntropy.Backward(logits, labels, classCount, batchSize, logitGradients);
                break;
            case MulticlassHingeLayer hinge:
                ReferenceMulticlassHinge.Backward(hinge, logits, labels, classCount, batchSize, logitGradients);
                break;
            default:
                throw new InvalidOperationException($"Layer type {loss.GetType().Name} is not a loss.");
        }
    }

    private static void BackwardParameterFree<T>(
        ReferenceLayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceShape inputShape = layer.InputShape;
        ReferenceShape outputShape = layer.OutputShape;
        switch (layer.Description)
        {
            case MaxPool2DLayer pooling:
                ReferenceMaxPool.Backward(pooling, inputShape, outputShape, input, outputGradients, inputGradients, batchSize);
                break;
            case AvgPool2DLayer pooling:
                ReferenceAvgPool.Backward(pooling, inputShape, outputShape, outputGradients, inputGradients, batchSize);
                break;
            case GlobalAvgPool2DLayer:
                ReferenceGlobalAvgPool.Backward(inputShape, outputGradients, inputGradients, batchSize);
                break;
            case ReLULayer:
                ReferenceReLU.Backward(input, outputGradients, inputGradients);
                break;
            case SigmoidLayer:
                ReferenceSigmoid.Backward(input, outputGradients, inputGradients);
                break;
            case TanhLayer:
                ReferenceTanh.Backward(input, outputGradients, inputGradients);
                break;
            case LeakyReLULayer leaky:
                ReferenceLeakyReLU.Backward(leaky, input, outputGradients, inputGradients);
                break;
            case ELULayer elu:
                ReferenceELU.Backward(elu, input, outputGradients, inputGradients);
                break;
            case SELULayer:
                ReferenceSELU.Backward(input, outputGradients, inputGradients);
                break;
            case MaxoutLayer maxout:
                ReferenceMaxout.Backward(maxout, inputShape, outputShape, input, outputGradients, inputGradients, batchSize);
                break;
            case SwishLayer swish:
                ReferenceSwish.Backward(swish, input, outputGradients, inputGradients);
                break;
            case GELULayer gelu:
                ReferenceGELU.Backward(gelu, input, outputGradients, inputGradients);
                break;
            default:
                throw new InvalidOperationException($"Layer type {layer.Description.GetType().Name} has no backward pass.");
        }
    }
}

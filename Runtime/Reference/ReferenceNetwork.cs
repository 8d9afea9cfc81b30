using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Runs a network from its <see cref="ModelDescription"/> with plain loops, as the correctness oracle for
/// generated models and the baseline for benchmarks.
/// </summary>
/// <typeparam name="T">
/// The element type: <see cref="double"/> for gradient checks, <see cref="float"/> to compare with generated code.
/// </typeparam>
/// <remarks>
/// Shapes are inferred from the description independently of the generator. Parameters live in one flat
/// buffer, layer by layer in declaration order, each layer's weights (OIHW for a convolution, [out, in] for
/// a dense layer) followed by its biases. Inputs are NCHW and flattened with the batch outermost. Each
/// call allocates its own activation buffers, so an instance can be shared between threads. A
/// <see cref="MaxPool2DLayer"/> with Stride 0 uses its Size as the stride, as <see cref="MaxPool2DAttribute"/>
/// does when Stride is unset.
/// </remarks>
public sealed class ReferenceNetwork<T>
    where T : IBinaryFloatingPointIeee754<T>
{
    private readonly ReferenceLayerInfo[] _layers;

    /// <summary>Index of the loss layer, which is the last layer. The layers before it produce the logits.</summary>
    private readonly int _lossIndex;

    /// <summary>Values in the largest per-example layer output, which bounds the batch size.</summary>
    private readonly int _largestOutputSize;

    /// <summary>Infers every layer's shapes and parameter ranges from <paramref name="description"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The description is invalid: a non-positive size, a window that does not fit or does not tile its input,
    /// or a missing or misplaced <see cref="SoftmaxCrossEntropyLayer"/>. The message names the layer index,
    /// the value and the arithmetic.
    /// </exception>
    public ReferenceNetwork(ModelDescription description)
    {
        _layers = ReferenceShapeInference.InferLayers(description);
        _lossIndex = _layers.Length - 1;
        Description = description;
        Layers = Array.AsReadOnly(_layers);
        _largestOutputSize = _layers.Max(layer => layer.OutputShape.Size);

        ReferenceLayerInfo loss = _layers[_lossIndex];
        ParameterCount = loss.BiasOffset + loss.BiasCount;
        InputSize = description.InputSize;
        OutputSize = loss.InputShape.Size;
    }

    /// <summary>The description the network was built from.</summary>
    public ModelDescription Description { get; }

    /// <summary>Every declared layer, including the loss, with its inferred shapes and parameter ranges.</summary>
    public IReadOnlyList<ReferenceLayerInfo> Layers { get; }

    /// <summary>Number of values in the flat parameter buffer.</summary>
    public int ParameterCount { get; }

    /// <summary>Number of values in one input example: channels x height x width.</summary>
    public int InputSize { get; }

    /// <summary>Number of logits per example, which is the output size of the last layer before the loss.</summary>
    public int OutputSize { get; }

    /// <summary>
    /// Runs the layers before the loss on <paramref name="batchSize"/> examples and returns the logits,
    /// <paramref name="batchSize"/> x <see cref="OutputSize"/> values.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public T[] Forward(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, int batchSize)
    {
        ValidateBatch(parameters, input, batchSize);
        T[][] outputs = ForwardLayers(parameters, input, batchSize);
        return Logits(outputs, input).ToArray();
    }

    /// <summary>Runs the forward pass and returns the mean softmax cross-entropy loss over the batch.</summary>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> is not positive, or a label is outside [0, <see cref="OutputSize"/>).
    /// </exception>
    public T Loss(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, ReadOnlySpan<int> labels, int batchSize)
    {
        ValidateBatch(parameters, input, batchSize);
        ValidateLabels(labels, batchSize);
        T[][] outputs = ForwardLayers(parameters, input, batchSize);
        return ReferenceSoftmaxCrossEntropy.Forward(Logits(outputs, input), labels, OutputSize, batchSize);
    }

    /// <summary>
    /// Runs the forward pass, the loss and the backward pass. Overwrites <paramref name="parameterGradients"/>
    /// with the gradient of the mean loss with respect to each parameter and, if
    /// <paramref name="inputGradients"/> is not empty, overwrites it with the gradient with respect to each
    /// input value. Returns the mean loss.
    /// </summary>
    /// <param name="parameters">The flat parameter buffer, <see cref="ParameterCount"/> values.</param>
    /// <param name="input">NCHW input, <paramref name="batchSize"/> x <see cref="InputSize"/> values.</param>
    /// <param name="labels">The class of each example, in [0, <see cref="OutputSize"/>).</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="parameterGradients">Receives <see cref="ParameterCount"/> values.</param>
    /// <param name="inputGradients">Empty, or receives <paramref name="batchSize"/> x <see cref="InputSize"/> values.</param>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> is not positive, or a label is outside [0, <see cref="OutputSize"/>).
    /// </exception>
    public T ComputeGradients(
        ReadOnlySpan<T> parameters,
        ReadOnlySpan<T> input,
        ReadOnlySpan<int> labels,
        int batchSize,
        Span<T> parameterGradients,
        Span<T> inputGradients = default)
    {
        ValidateBatch(parameters, input, batchSize);
        ValidateLabels(labels, batchSize);
        ValidateLength(parameterGradients.Length, ParameterCount, nameof(parameterGradients), "ParameterCount");
        if (!inputGradients.IsEmpty)
        {
            ValidateLength(
                inputGradients.Length, (long)batchSize * InputSize, nameof(inputGradients), $"batchSize {batchSize} x InputSize {InputSize}");
        }

        T[][] outputs = ForwardLayers(parameters, input, batchSize);
        ReadOnlySpan<T> logits = Logits(outputs, input);
        T loss = ReferenceSoftmaxCrossEntropy.Forward(logits, labels, OutputSize, batchSize);

        var outputGradients = new T[batchSize * OutputSize];
        ReferenceSoftmaxCrossEntropy.Backward(logits, labels, OutputSize, batchSize, outputGradients);
        if (_lossIndex == 0 && !inputGradients.IsEmpty)
        {
            // The loss is the only layer, so the logits are the input.
            outputGradients.CopyTo(inputGradients);
        }

        for (int index = _lossIndex - 1; index >= 0; index--)
        {
            ReferenceLayerInfo layer = _layers[index];
            ReadOnlySpan<T> layerInput = index == 0 ? input : outputs[index - 1];

            // The first layer's input gradient is the caller's, which may be empty to skip it.
            T[]? layerInputGradients = index == 0 ? null : new T[batchSize * layer.InputShape.Size];
            Span<T> inputGradientTarget = layerInputGradients ?? inputGradients;

            BackwardLayer(layer, parameters, layerInput, outputGradients, parameterGradients, inputGradientTarget, batchSize);
            if (layerInputGradients is not null)
            {
                outputGradients = layerInputGradients;
            }
        }

        return loss;
    }

    /// <summary>Returns the output of each layer before the loss, in layer order.</summary>
    private T[][] ForwardLayers(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, int batchSize)
    {
        var outputs = new T[_lossIndex][];
        for (int index = 0; index < _lossIndex; index++)
        {
            ReferenceLayerInfo layer = _layers[index];
            ReadOnlySpan<T> layerInput = index == 0 ? input : outputs[index - 1];
            outputs[index] = new T[batchSize * layer.OutputShape.Size];
            ForwardLayer(layer, parameters, layerInput, outputs[index], batchSize);
        }

        return outputs;
    }

    private static ReadOnlySpan<T> Logits(T[][] outputs, ReadOnlySpan<T> input) => outputs.Length == 0 ? input : outputs[^1];

    private static void ForwardLayer(
        ReferenceLayerInfo layer, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Span<T> output, int batchSize)
    {
        ReadOnlySpan<T> weights = parameters.Slice(layer.WeightOffset, layer.WeightCount);
        ReadOnlySpan<T> biases = parameters.Slice(layer.BiasOffset, layer.BiasCount);
        switch (layer.Description)
        {
            case Conv2DLayer convolution:
                ReferenceConvolution.Forward(
                    convolution, layer.InputShape, layer.OutputShape, weights, biases, input, output, batchSize);
                break;
            case MaxPool2DLayer pooling:
                ReferenceMaxPool.Forward(pooling, layer.InputShape, layer.OutputShape, input, output, batchSize);
                break;
            case DenseLayer:
                ReferenceDense.Forward(
                    layer.InputShape.Size, layer.OutputShape.Size, weights, biases, input, output, batchSize);
                break;
            case ReLULayer:
                ReferenceReLU.Forward(input, output);
                break;
            default:
                throw new InvalidOperationException($"Layer type {layer.Description.GetType().Name} has no forward pass.");
        }
    }

    private static void BackwardLayer(
        ReferenceLayerInfo layer,
        ReadOnlySpan<T> parameters,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> parameterGradients,
        Span<T> inputGradients,
        int batchSize)
    {
        ReadOnlySpan<T> weights = parameters.Slice(layer.WeightOffset, layer.WeightCount);
        Span<T> weightGradients = parameterGradients.Slice(layer.WeightOffset, layer.WeightCount);
        Span<T> biasGradients = parameterGradients.Slice(layer.BiasOffset, layer.BiasCount);
        switch (layer.Description)
        {
            case Conv2DLayer convolution:
                ReferenceConvolution.Backward(
                    convolution, layer.InputShape, layer.OutputShape, weights, input, outputGradients,
                    weightGradients, biasGradients, inputGradients, batchSize);
                break;
            case MaxPool2DLayer pooling:
                if (!inputGradients.IsEmpty)
                {
                    ReferenceMaxPool.Backward(
                        pooling, layer.InputShape, layer.OutputShape, input, outputGradients, inputGradients, batchSize);
                }

                break;
            case DenseLayer:
                ReferenceDense.Backward(
                    layer.InputShape.Size, layer.OutputShape.Size, weights, input, outputGradients,
                    weightGradients, biasGradients, inputGradients, batchSize);
                break;
            case ReLULayer:
                if (!inputGradients.IsEmpty)
                {
                    ReferenceReLU.Backward(input, outputGradients, inputGradients);
                }

                break;
            default:
                throw new InvalidOperationException($"Layer type {layer.Description.GetType().Name} has no backward pass.");
        }
    }

    private void ValidateBatch(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ValidateLength(parameters.Length, ParameterCount, nameof(parameters), "ParameterCount");
        ValidateLength(input.Length, (long)batchSize * InputSize, nameof(input), $"batchSize {batchSize} x InputSize {InputSize}");

        long largestActivation = (long)_largestOutputSize * batchSize;
        if (largestActivation > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batchSize),
                batchSize,
                $"A batch of {batchSize} needs an activation buffer of {largestActivation} values, more than " +
                $"{Array.MaxLength}, the maximum array length. Split the batch.");
        }
    }

    private void ValidateLabels(ReadOnlySpan<int> labels, int batchSize)
    {
        ValidateLength(labels.Length, batchSize, nameof(labels), "batchSize");
        for (int n = 0; n < labels.Length; n++)
        {
            if (labels[n] < 0 || labels[n] >= OutputSize)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels),
                    labels[n],
                    $"Label {n} is {labels[n]}, but labels must be in [0, {OutputSize}) because the network has {OutputSize} classes.");
            }
        }
    }

    private static void ValidateLength(int actual, long expected, string parameterName, string expectedText)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"The length of {parameterName} is {actual}, but {expectedText} = {expected} values are expected.",
                parameterName);
        }
    }
}

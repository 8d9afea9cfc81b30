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
/// <para>
/// Shapes are inferred from the description independently of the generator. Parameters live in one flat
/// buffer, layer by layer in declaration order, each layer's weights (OIHW for a convolution, [out, in] for
/// a dense layer, slopes for PReLU, gamma for normalization) followed by its biases (beta for normalization).
/// Inputs are NCHW and flattened with the batch outermost. A pooling layer whose StrideHeight or StrideWidth is
/// 0 (as with Stride 0) uses its window size in that dimension as the stride, as the attributes do when Stride
/// is unset.
/// </para>
/// <para>
/// Non-trainable state, the running statistics of each <see cref="BatchNormLayer"/>, lives in a separate flat
/// buffer of <see cref="StateCount"/> values that the caller owns (see <see cref="CreateInitialState"/>). The
/// overloads that take a <see cref="ReferenceMode"/> read it in evaluation mode and update it in training mode;
/// the overloads without one run in training mode and reject models that have state. Each call allocates its
/// own activation buffers, so an instance can be shared between threads that pass separate state buffers.
/// </para>
/// </remarks>
public sealed class ReferenceNetwork<T>
    where T : IBinaryFloatingPointIeee754<T>
{
    private readonly ReferenceLayerInfo[] _layers;

    /// <summary>Index of the loss layer, which is the last layer. The layers before it produce the logits.</summary>
    private readonly int _lossIndex;

    /// <summary>Values in the largest per-example layer output, which bounds the batch size.</summary>
    private readonly int _largestOutputSize;

    /// <summary>Infers every layer's shapes, parameter ranges and state ranges from <paramref name="description"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The description is invalid: a non-positive size, a window that does not fit or does not tile its input,
    /// an invalid hyperparameter, or a missing or misplaced loss layer (<see cref="SoftmaxCrossEntropyLayer"/> or
    /// <see cref="MulticlassHingeLayer"/>). The message names the layer index, the value and the arithmetic.
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
        StateCount = loss.StateOffset + loss.StateCount;
        InputSize = description.InputSize;
        OutputSize = loss.InputShape.Size;
    }

    /// <summary>The description the network was built from.</summary>
    public ModelDescription Description { get; }

    /// <summary>Every declared layer, including the loss, with its inferred shapes, parameter ranges and state ranges.</summary>
    public IReadOnlyList<ReferenceLayerInfo> Layers { get; }

    /// <summary>Number of values in the flat parameter buffer.</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// Number of values in the flat state buffer: for each <see cref="BatchNormLayer"/> in order, running_mean [C]
    /// then running_var [C]. 0 for a model without batch normalization.
    /// </summary>
    public int StateCount { get; }

    /// <summary>Number of values in one input example: channels x height x width.</summary>
    public int InputSize { get; }

    /// <summary>Number of logits per example, which is the output size of the last layer before the loss.</summary>
    public int OutputSize { get; }

    /// <summary>
    /// Creates a state buffer of <see cref="StateCount"/> values as PyTorch initializes batch normalization:
    /// every running mean 0 and every running variance 1.
    /// </summary>
    public T[] CreateInitialState()
    {
        var state = new T[StateCount];
        foreach (ReferenceLayerInfo layer in _layers)
        {
            if (layer.Description is BatchNormLayer)
            {
                int channels = layer.InputShape.Channels;
                state.AsSpan(layer.StateOffset + channels, channels).Fill(T.One);
            }
        }

        return state;
    }

    /// <summary>
    /// Runs the layers before the loss on <paramref name="batchSize"/> examples in training mode and returns the
    /// logits, <paramref name="batchSize"/> x <see cref="OutputSize"/> values.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The model has state, so it needs the overload that takes a mode and a state.</exception>
    public T[] Forward(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, int batchSize)
    {
        RequireNoState();
        return Forward(parameters, input, batchSize, ReferenceMode.Training, Span<T>.Empty);
    }

    /// <summary>
    /// Runs the layers before the loss on <paramref name="batchSize"/> examples in <paramref name="mode"/> and
    /// returns the logits, <paramref name="batchSize"/> x <see cref="OutputSize"/> values. Training mode updates
    /// <paramref name="state"/> in place, and evaluation mode only reads it.
    /// </summary>
    /// <param name="parameters">The flat parameter buffer, <see cref="ParameterCount"/> values.</param>
    /// <param name="input">NCHW input, <paramref name="batchSize"/> x <see cref="InputSize"/> values.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="mode">Whether batch normalization uses batch statistics (training) or running statistics (evaluation).</param>
    /// <param name="state">The running statistics, <see cref="StateCount"/> values, which is empty for a model without state.</param>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> is not positive, <paramref name="mode"/> is not defined, or training mode would
    /// normalize a single value per channel.
    /// </exception>
    public T[] Forward(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, int batchSize, ReferenceMode mode, Span<T> state)
    {
        ValidateBatch(parameters, input, batchSize);
        ValidateModeAndState(mode, state, batchSize);
        T[][] outputs = ForwardLayers(parameters, input, batchSize, mode, state);
        return Logits(outputs, input).ToArray();
    }

    /// <summary>Runs the forward pass in training mode and returns the model's mean loss over the batch.</summary>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> is not positive, or a label is outside [0, <see cref="OutputSize"/>).
    /// </exception>
    /// <exception cref="InvalidOperationException">The model has state, so it needs the overload that takes a mode and a state.</exception>
    public T Loss(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, ReadOnlySpan<int> labels, int batchSize)
    {
        RequireNoState();
        return Loss(parameters, input, labels, batchSize, ReferenceMode.Training, Span<T>.Empty);
    }

    /// <summary>
    /// Runs the forward pass in <paramref name="mode"/> and returns the model's mean loss over the batch. Training
    /// mode updates <paramref name="state"/> in place, and evaluation mode only reads it.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> is not positive, a label is outside [0, <see cref="OutputSize"/>),
    /// <paramref name="mode"/> is not defined, or training mode would normalize a single value per channel.
    /// </exception>
    public T Loss(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, ReadOnlySpan<int> labels, int batchSize, ReferenceMode mode, Span<T> state)
    {
        ValidateBatch(parameters, input, batchSize);
        ValidateLabels(labels, batchSize);
        ValidateModeAndState(mode, state, batchSize);
        T[][] outputs = ForwardLayers(parameters, input, batchSize, mode, state);
        return ReferenceLayerPasses.LossForward(_layers[_lossIndex].Description, Logits(outputs, input), labels, OutputSize, batchSize);
    }

    /// <summary>
    /// Runs the forward pass in training mode, the loss and the backward pass, as the overload that takes a mode does.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> is not positive, or a label is outside [0, <see cref="OutputSize"/>).
    /// </exception>
    /// <exception cref="InvalidOperationException">The model has state, so it needs the overload that takes a mode and a state.</exception>
    public T ComputeGradients(
        ReadOnlySpan<T> parameters,
        ReadOnlySpan<T> input,
        ReadOnlySpan<int> labels,
        int batchSize,
        Span<T> parameterGradients,
        Span<T> inputGradients = default)
    {
        RequireNoState();
        return ComputeGradients(parameters, input, labels, batchSize, ReferenceMode.Training, Span<T>.Empty, parameterGradients, inputGradients);
    }

    /// <summary>
    /// Runs the forward pass in <paramref name="mode"/>, the model's loss and the backward pass. Overwrites
    /// <paramref name="parameterGradients"/> with the gradient of the mean loss with respect to each parameter and,
    /// if <paramref name="inputGradients"/> is not empty, overwrites it with the gradient with respect to each input
    /// value. Training mode updates <paramref name="state"/> once, in the forward pass. Returns the mean loss.
    /// </summary>
    /// <param name="parameters">The flat parameter buffer, <see cref="ParameterCount"/> values.</param>
    /// <param name="input">NCHW input, <paramref name="batchSize"/> x <see cref="InputSize"/> values.</param>
    /// <param name="labels">The class of each example, in [0, <see cref="OutputSize"/>).</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="mode">
    /// Whether batch normalization uses batch statistics, with gradients through the batch mean and variance
    /// (training), or running statistics as a fixed affine map (evaluation).
    /// </param>
    /// <param name="state">The running statistics, <see cref="StateCount"/> values, which is empty for a model without state.</param>
    /// <param name="parameterGradients">Receives <see cref="ParameterCount"/> values.</param>
    /// <param name="inputGradients">Empty, or receives <paramref name="batchSize"/> x <see cref="InputSize"/> values.</param>
    /// <exception cref="ArgumentException">A span length does not match the network and batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> is not positive, a label is outside [0, <see cref="OutputSize"/>),
    /// <paramref name="mode"/> is not defined, or training mode would normalize a single value per channel.
    /// </exception>
    public T ComputeGradients(
        ReadOnlySpan<T> parameters,
        ReadOnlySpan<T> input,
        ReadOnlySpan<int> labels,
        int batchSize,
        ReferenceMode mode,
        Span<T> state,
        Span<T> parameterGradients,
        Span<T> inputGradients = default)
    {
        ValidateBatch(parameters, input, batchSize);
        ValidateLabels(labels, batchSize);
        ValidateModeAndState(mode, state, batchSize);
        ValidateLength(parameterGradients.Length, ParameterCount, nameof(parameterGradients), "ParameterCount");
        if (!inputGradients.IsEmpty)
        {
            ValidateLength(
                inputGradients.Length, (long)batchSize * InputSize, nameof(inputGradients), $"batchSize {batchSize} x InputSize {InputSize}");
        }

        T[][] outputs = ForwardLayers(parameters, input, batchSize, mode, state);
        ReadOnlySpan<T> logits = Logits(outputs, input);
        LayerDescription lossLayer = _layers[_lossIndex].Description;
        T loss = ReferenceLayerPasses.LossForward(lossLayer, logits, labels, OutputSize, batchSize);

        var outputGradients = new T[batchSize * OutputSize];
        ReferenceLayerPasses.LossBackward(lossLayer, logits, labels, OutputSize, batchSize, outputGradients);
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

            ReferenceLayerPasses.Backward(
                layer, parameters, layerInput, outputGradients, parameterGradients, inputGradientTarget, batchSize, mode, state);
            if (layerInputGradients is not null)
            {
                outputGradients = layerInputGradients;
            }
        }

        return loss;
    }

    /// <summary>Returns the output of each layer before the loss, in layer order.</summary>
    private T[][] ForwardLayers(ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, int batchSize, ReferenceMode mode, Span<T> state)
    {
        var outputs = new T[_lossIndex][];
        for (int index = 0; index < _lossIndex; index++)
        {
            ReferenceLayerInfo layer = _layers[index];
            ReadOnlySpan<T> layerInput = index == 0 ? input : outputs[index - 1];
            outputs[index] = new T[batchSize * layer.OutputShape.Size];
            ReferenceLayerPasses.Forward(layer, parameters, layerInput, outputs[index], batchSize, mode, state);
        }

        return outputs;
    }

    private static ReadOnlySpan<T> Logits(T[][] outputs, ReadOnlySpan<T> input) => outputs.Length == 0 ? input : outputs[^1];

    private void RequireNoState()
    {
        if (StateCount != 0)
        {
            throw new InvalidOperationException(
                $"The model has batch normalization with {StateCount} running statistics, so it needs a state buffer. " +
                "Call the overload that takes a ReferenceMode and a state, passing a buffer from CreateInitialState().");
        }
    }

    private void ValidateModeAndState(ReferenceMode mode, ReadOnlySpan<T> state, int batchSize)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(
                nameof(mode), mode, "The mode must be ReferenceMode.Training or ReferenceMode.Evaluation.");
        }

        ValidateLength(state.Length, StateCount, nameof(state), "StateCount");
        if (mode != ReferenceMode.Training)
        {
            return;
        }

        for (int index = 0; index < _lossIndex; index++)
        {
            ReferenceLayerInfo layer = _layers[index];
            long valuesPerChannel = (long)batchSize * layer.InputShape.Height * layer.InputShape.Width;
            if (layer.Description is BatchNormLayer && valuesPerChannel == 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(batchSize),
                    batchSize,
                    $"Layer {index} ({layer.Description}) expects more than 1 value per channel when training, but " +
                    $"batchSize {batchSize} x {layer.InputShape.Height} x {layer.InputShape.Width} = 1, and the batch " +
                    "variance of one value is 0. PyTorch rejects this too. Use a batch of at least 2 examples, or " +
                    "ReferenceMode.Evaluation.");
            }
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

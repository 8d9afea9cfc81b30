namespace ModelCompiler.Reference;

/// <summary>
/// One layer of a <see cref="ReferenceNetwork{T}"/> with the shapes, parameter ranges and state range that the
/// reference interpreter inferred from its description.
/// </summary>
/// <remarks>
/// Weight and bias offsets index the flat parameter buffer. Layers without parameters (ReLU, pooling, the loss)
/// have zero counts and offsets equal to the end of the previous layer's parameters. A layer with a learnable
/// scale stores it as its weights and its shift as its biases: PReLU slopes are weights (with no biases), and the
/// normalization layers store gamma as weights and beta as biases. The loss layer's input shape is the logits shape
/// and its output shape is <c>1x1x1</c>, the loss.
/// </remarks>
/// <param name="Description">The layer as declared.</param>
/// <param name="InputShape">Shape of one example entering the layer.</param>
/// <param name="OutputShape">Shape of one example leaving the layer.</param>
/// <param name="WeightOffset">Index of the layer's first weight in the parameter buffer.</param>
/// <param name="WeightCount">
/// Number of weights. A convolution has filters x channels x kernel height x kernel width and a dense layer
/// units x inputs. A PReLU has one slope per channel, or 1 when shared. Batch, instance and group normalization
/// have C gammas (instance normalization without Affine has none), and layer normalization has C x H x W.
/// </param>
/// <param name="BiasOffset">Index of the layer's first bias in the parameter buffer, right after its weights.</param>
/// <param name="BiasCount">Number of biases: one per filter or unit, and as many betas as gammas for normalization.</param>
public sealed record ReferenceLayerInfo(
    LayerDescription Description,
    ReferenceShape InputShape,
    ReferenceShape OutputShape,
    int WeightOffset,
    int WeightCount,
    int BiasOffset,
    int BiasCount)
{
    /// <summary>
    /// Index of the layer's first value in the state buffer (see <see cref="ReferenceNetwork{T}.CreateInitialState"/>).
    /// For a layer without state the network sets it to the end of the previous layer's state. It is 0 unless set.
    /// </summary>
    public int StateOffset { get; init; }

    /// <summary>
    /// Number of non-trainable state values: running_mean [C] followed by running_var [C] for a
    /// <see cref="BatchNormLayer"/>, and 0 for every other layer (the default).
    /// </summary>
    public int StateCount { get; init; }
}

namespace ModelCompiler.Reference;

/// <summary>
/// One layer of a <see cref="ReferenceNetwork{T}"/> with the shapes and parameter ranges that the
/// reference interpreter inferred from its description.
/// </summary>
/// <remarks>
/// Offsets index the flat parameter buffer. Layers without parameters (ReLU, max pooling, the loss)
/// have zero counts and offsets equal to the end of the previous layer's parameters. The loss layer's
/// input shape is the logits shape and its output shape is <c>1x1x1</c>, the loss.
/// </remarks>
/// <param name="Description">The layer as declared.</param>
/// <param name="InputShape">Shape of one example entering the layer.</param>
/// <param name="OutputShape">Shape of one example leaving the layer.</param>
/// <param name="WeightOffset">Index of the layer's first weight in the parameter buffer.</param>
/// <param name="WeightCount">Number of weights: filters x channels x size x size for a convolution, units x inputs for a dense layer.</param>
/// <param name="BiasOffset">Index of the layer's first bias in the parameter buffer, right after its weights.</param>
/// <param name="BiasCount">Number of biases: one per filter or unit.</param>
public sealed record ReferenceLayerInfo(
    LayerDescription Description,
    ReferenceShape InputShape,
    ReferenceShape OutputShape,
    int WeightOffset,
    int WeightCount,
    int BiasOffset,
    int BiasCount);

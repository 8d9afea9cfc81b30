namespace ModelCompiler;

/// <summary>
/// The surface every generated model implements, so that training loops, tests and benchmarks can
/// drive any of them. Tensors are NCHW float32, flattened, with the batch as the outermost dimension.
/// </summary>
/// <remarks>
/// <see cref="Parameters"/> holds every layer's weights and biases in one contiguous buffer in declaration
/// order, each layer's weights in PyTorch's layout (OIHW for convolutions, [out, in] for dense layers)
/// followed by its biases. <see cref="Gradients"/> has the same layout. Instances are not thread-safe:
/// they own the scratch buffers that the forward and backward passes write.
/// </remarks>
public interface ICompiledModel
{
    /// <summary>Values in one input example: channels x height x width.</summary>
    int InputSize { get; }

    /// <summary>Values in one output example, the number of classes for a classifier.</summary>
    int OutputSize { get; }

    /// <summary>Every trainable parameter, layer by layer.</summary>
    float[] Parameters { get; }

    /// <summary>The gradient of the mean batch loss with respect to each entry of <see cref="Parameters"/>.</summary>
    float[] Gradients { get; }

    /// <summary>Fills the weights with seeded Kaiming-normal values and sets every bias to zero.</summary>
    void InitializeParameters(int seed);

    /// <summary>
    /// Runs inference on <paramref name="batchSize"/> examples from <paramref name="input"/> and writes
    /// <paramref name="batchSize"/> x <see cref="OutputSize"/> values (logits, before softmax) to <paramref name="output"/>.
    /// </summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize);

    /// <summary>
    /// Runs the forward pass and the loss on a batch, then the backward pass, overwriting
    /// <see cref="Gradients"/>; returns the mean loss over the batch.
    /// </summary>
    float ComputeGradients(ReadOnlySpan<float> input, ReadOnlySpan<int> labels, int batchSize);
}

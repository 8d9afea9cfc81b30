namespace ModelCompiler;

/// <summary>
/// The surface every generated model implements, so that training loops, tests and benchmarks can
/// drive any of them. Tensors are NCHW float32, flattened, with the batch as the outermost dimension.
/// </summary>
/// <remarks>
/// <see cref="Parameters"/> contains every layer's weights and biases in one contiguous buffer in declaration
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

    /// <summary>
    /// BatchNorm running means and variances, layer by layer (each layer's means, then its variances); empty when the
    /// model has no BatchNorm. They are state, not trainable parameters, and move to PyTorch's running_mean and running_var.
    /// </summary>
    float[] RunningStatistics { get; }

    /// <summary>
    /// Training or evaluation. Training is the default; switch to <see cref="ModelMode.Evaluation"/> before measuring or
    /// serving a model with BatchNorm, because in training mode every forward pass normalizes with the batch's own
    /// statistics and updates the running averages.
    /// </summary>
    ModelMode Mode { get; set; }

    /// <summary>
    /// In evaluation mode, whether <see cref="Forward"/> folds each BatchNorm that directly follows a convolution or
    /// dense layer into that layer's weights and bias; true unless set. Folded and unfolded results agree up to float rounding.
    /// </summary>
    bool FoldBatchNorm { get; set; }

    /// <summary>
    /// Draws every convolution and dense weight with its layer's seeded initializer, sets biases and shifts to 0,
    /// scales to 1, PReLU slopes to 0.25, and resets running means to 0 and running variances to 1.
    /// </summary>
    void InitializeParameters(int seed);

    /// <summary>
    /// Runs the model in the current <see cref="Mode"/> on <paramref name="batchSize"/> examples from <paramref name="input"/> and writes
    /// <paramref name="batchSize"/> x <see cref="OutputSize"/> values (logits, before softmax) to <paramref name="output"/>.
    /// </summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize);

    /// <summary>
    /// Runs the forward pass and the loss on a batch, then the backward pass, overwriting
    /// <see cref="Gradients"/>; returns the mean loss over the batch.
    /// </summary>
    float ComputeGradients(ReadOnlySpan<float> input, ReadOnlySpan<int> labels, int batchSize);

    /// <summary>
    /// Runs <see cref="ComputeGradients"/> on a batch, then lets <paramref name="optimizer"/> update <see cref="Parameters"/>
    /// from <see cref="Gradients"/>; returns the mean loss.
    /// </summary>
    float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<int> labels, int batchSize, Training.SgdMomentum optimizer);

    /// <summary>
    /// Returns the output of layer number <paramref name="layer"/> (counting from 1 as in the generated layer table, loss
    /// excluded) for the batch of the last
    /// forward pass, for inspection such as activation statistics. Throws for a layer whose output a later activation
    /// overwrites in place, naming that activation.
    /// </summary>
    ReadOnlySpan<float> LayerOutput(int layer);
}

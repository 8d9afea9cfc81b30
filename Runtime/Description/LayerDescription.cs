namespace ModelCompiler;

/// <summary>
/// One declared layer with the hyperparameters written on its attribute and nothing derived from them,
/// so that a consumer such as the reference interpreter infers shapes on its own.
/// </summary>
public abstract record LayerDescription;

/// <summary>A 2-D convolution with square kernels; see <see cref="Conv2DAttribute"/>.</summary>
public sealed record Conv2DLayer(int Filters, int Size, int Stride, int Padding) : LayerDescription;

/// <summary>2-D max pooling with square windows; see <see cref="MaxPool2DAttribute"/>.</summary>
public sealed record MaxPool2DLayer(int Size, int Stride) : LayerDescription;

/// <summary>A fully connected layer; see <see cref="DenseAttribute"/>.</summary>
public sealed record DenseLayer(int Units) : LayerDescription;

/// <summary>Element-wise max(0, x); see <see cref="ReLUAttribute"/>.</summary>
public sealed record ReLULayer : LayerDescription;

/// <summary>Softmax cross-entropy loss; see <see cref="SoftmaxCrossEntropyAttribute"/>.</summary>
public sealed record SoftmaxCrossEntropyLayer : LayerDescription;

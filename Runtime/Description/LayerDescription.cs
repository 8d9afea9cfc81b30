namespace ModelCompiler;

/// <summary>
/// One declared layer with the hyperparameters written on its attribute and nothing derived from them,
/// so that a consumer such as the reference interpreter infers shapes on its own.
/// </summary>
public abstract record LayerDescription;

/// <summary>
/// A 2-D convolution; see <see cref="Conv2DAttribute"/>. The positional values are the square shorthand;
/// the per-dimension properties default to them and are what consumers read.
/// </summary>
public sealed record Conv2DLayer(int Filters, int Size, int Stride, int Padding) : LayerDescription
{
    /// <summary>Kernel rows.</summary>
    public int KernelHeight { get; init; } = Size;

    /// <summary>Kernel columns.</summary>
    public int KernelWidth { get; init; } = Size;

    /// <summary>Vertical step between kernel positions.</summary>
    public int StrideHeight { get; init; } = Stride;

    /// <summary>Horizontal step between kernel positions.</summary>
    public int StrideWidth { get; init; } = Stride;

    /// <summary>Zero rows added above and below the input.</summary>
    public int PaddingHeight { get; init; } = Padding;

    /// <summary>Zero columns added left and right of the input.</summary>
    public int PaddingWidth { get; init; } = Padding;

    /// <summary>Vertical spacing between kernel taps; 1 is a dense kernel.</summary>
    public int DilationHeight { get; init; } = 1;

    /// <summary>Horizontal spacing between kernel taps; 1 is a dense kernel.</summary>
    public int DilationWidth { get; init; } = 1;
}

/// <summary>
/// 2-D max pooling; see <see cref="MaxPool2DAttribute"/>. Padding cells count as negative infinity, as in PyTorch.
/// </summary>
public sealed record MaxPool2DLayer(int Size, int Stride) : LayerDescription
{
    /// <summary>Window rows.</summary>
    public int KernelHeight { get; init; } = Size;

    /// <summary>Window columns.</summary>
    public int KernelWidth { get; init; } = Size;

    /// <summary>Vertical step between windows.</summary>
    public int StrideHeight { get; init; } = Stride;

    /// <summary>Horizontal step between windows.</summary>
    public int StrideWidth { get; init; } = Stride;

    /// <summary>Rows of padding above and below.</summary>
    public int PaddingHeight { get; init; }

    /// <summary>Columns of padding left and right.</summary>
    public int PaddingWidth { get; init; }
}

/// <summary>2-D average pooling; see <see cref="AvgPool2DAttribute"/>. Padding cells are zeros.</summary>
public sealed record AvgPool2DLayer(int Size, int Stride) : LayerDescription
{
    /// <summary>Window rows.</summary>
    public int KernelHeight { get; init; } = Size;

    /// <summary>Window columns.</summary>
    public int KernelWidth { get; init; } = Size;

    /// <summary>Vertical step between windows.</summary>
    public int StrideHeight { get; init; } = Stride;

    /// <summary>Horizontal step between windows.</summary>
    public int StrideWidth { get; init; } = Stride;

    /// <summary>Rows of zero padding above and below.</summary>
    public int PaddingHeight { get; init; }

    /// <summary>Columns of zero padding left and right.</summary>
    public int PaddingWidth { get; init; }

    /// <summary>
    /// True to divide every window sum by the full window area, padding included (PyTorch's default);
    /// false to divide by the number of real input cells in the window.
    /// </summary>
    public bool CountIncludePadding { get; init; } = true;
}

/// <summary>Average of each channel over its whole height and width, giving C x 1 x 1.</summary>
public sealed record GlobalAvgPool2DLayer : LayerDescription;

/// <summary>A fully connected layer; see <see cref="DenseAttribute"/>.</summary>
public sealed record DenseLayer(int Units) : LayerDescription;

/// <summary>Element-wise max(0, x); see <see cref="ReLUAttribute"/>.</summary>
public sealed record ReLULayer : LayerDescription;

/// <summary>Element-wise 1 / (1 + exp(-x)).</summary>
public sealed record SigmoidLayer : LayerDescription;

/// <summary>Element-wise hyperbolic tangent.</summary>
public sealed record TanhLayer : LayerDescription;

/// <summary>Element-wise x for x &gt; 0, Slope * x otherwise.</summary>
public sealed record LeakyReLULayer(double Slope) : LayerDescription;

/// <summary>
/// Element-wise x for x &gt; 0, a * x otherwise, with learnable slopes a: one per channel, or one for the whole
/// layer when <paramref name="Shared"/> is true. The slopes are the layer's parameters.
/// </summary>
public sealed record PReLULayer(bool Shared) : LayerDescription;

/// <summary>Element-wise x for x &gt; 0, Alpha * (exp(x) - 1) otherwise.</summary>
public sealed record ELULayer(double Alpha) : LayerDescription;

/// <summary>Element-wise Scale * (x for x &gt; 0, Alpha * (exp(x) - 1) otherwise) with the fixed SELU constants.</summary>
public sealed record SELULayer : LayerDescription
{
    /// <summary>SELU's alpha, 1.6732632423543772848170429916717 (Klambauer et al., 2017; PyTorch's value).</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    /// <summary>SELU's scale, 1.0507009873554804934193349852946 (Klambauer et al., 2017; PyTorch's value).</summary>
    public const double Scale = 1.0507009873554804934193349852946;
}

/// <summary>
/// Maximum over groups of <paramref name="Pieces"/> consecutive channels (or features of a flat input), so that
/// C channels become C / Pieces. The gradient goes to the first maximum of each group.
/// </summary>
public sealed record MaxoutLayer(int Pieces) : LayerDescription;

/// <summary>Element-wise x * sigmoid(Beta * x); Beta = 1 is SiLU.</summary>
public sealed record SwishLayer(double Beta) : LayerDescription;

/// <summary>Element-wise x * Phi(x), Phi the standard normal CDF, exactly or with the tanh approximation.</summary>
public sealed record GELULayer(GeluApproximation Approximation) : LayerDescription;

/// <summary>Softmax cross-entropy loss; see <see cref="SoftmaxCrossEntropyAttribute"/>.</summary>
public sealed record SoftmaxCrossEntropyLayer : LayerDescription;

/// <summary>
/// Multiclass hinge (SVM) loss as PyTorch's MultiMarginLoss with p = 1: for each example,
/// sum over j != y of max(0, Margin - x[y] + x[j]), divided by the number of classes, then averaged over the batch.
/// </summary>
public sealed record MulticlassHingeLayer(double Margin) : LayerDescription;

/// <summary>
/// Batch normalization: per channel over batch, height and width (or per feature over the batch for a flat
/// input), with learnable scale and shift and running averages for evaluation; see <see cref="BatchNormAttribute"/>.
/// </summary>
public sealed record BatchNormLayer(double Epsilon, double Momentum) : LayerDescription;

/// <summary>Per-example normalization over all C x H x W values, with per-element scale and shift.</summary>
public sealed record LayerNormLayer(double Epsilon) : LayerDescription;

/// <summary>Per-example, per-channel normalization over H x W; per-channel scale and shift when <paramref name="Affine"/>.</summary>
public sealed record InstanceNormLayer(double Epsilon, bool Affine) : LayerDescription;

/// <summary>Per-example normalization over each group of C / Groups channels and H x W, with per-channel scale and shift.</summary>
public sealed record GroupNormLayer(int Groups, double Epsilon) : LayerDescription;

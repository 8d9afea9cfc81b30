using ModelCompiler;

namespace ModelCompiler.Tests.Models;

// Models that exercise every activation, pooling variant, loss and normalization layer, compiled by the real
// build of this test project. Each is small so that failures point at few layers.

/// <summary>Sigmoid, Tanh and SELU between dense layers.</summary>
[Model(Channels = 1, Height = 1, Width = 10)]
[Dense(8)]
[Sigmoid]
[Dense(8)]
[Tanh]
[Dense(4)]
[SELU]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class SaturatingModel
{
}

/// <summary>LeakyReLU and ELU in place (positive slope and alpha) and out of place (negative ones).</summary>
[Model(Channels = 2, Height = 5, Width = 5)]
[Conv2D(Filters = 3, Size = 3, Padding = 1)]
[LeakyReLU(Slope = 0.2)]
[Conv2D(Filters = 4, Size = 3)]
[ELU(Alpha = 0.7)]
[Dense(6)]
[LeakyReLU(Slope = -0.3)]
[Dense(4)]
[ELU(Alpha = -0.5)]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class LeakyModel
{
}

/// <summary>PReLU per channel and shared, Swish, and both GELU forms.</summary>
[Model(Channels = 3, Height = 4, Width = 4)]
[Conv2D(Filters = 4, Size = 3, Padding = 1)]
[PReLU]
[Conv2D(Filters = 6, Size = 1)]
[Swish(Beta = 1.5)]
[Conv2D(Filters = 4, Size = 3, Padding = 1)]
[GELU]
[Dense(5)]
[GELU(Approximation = GeluApproximation.Tanh)]
[Dense(6)]
[PReLU(Shared = true)]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class GatedModel
{
}

/// <summary>Maxout over convolution channels and over dense units.</summary>
[Model(Channels = 2, Height = 6, Width = 6)]
[Conv2D(Filters = 6, Size = 3)]
[Maxout(Pieces = 3)]
[Dense(8)]
[Maxout(Pieces = 2)]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class MaxoutModel
{
}

/// <summary>A rectangular convolution with separate strides and paddings, padded average and max pooling.</summary>
[Model(Channels = 2, Height = 9, Width = 8)]
[Conv2D(Filters = 3, KernelHeight = 3, KernelWidth = 2, StrideHeight = 2, StrideWidth = 1, PaddingHeight = 1, PaddingWidth = 0)]
[AvgPool2D(Size = 3, Stride = 2, Padding = 1, CountIncludePadding = false)]
[MaxPool2D(KernelHeight = 2, KernelWidth = 3, StrideHeight = 1, StrideWidth = 1, PaddingWidth = 1)]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class RectangularModel
{
}

/// <summary>A dilated convolution, average pooling that counts padding, global average pooling, a 1x1 convolution.</summary>
[Model(Channels = 1, Height = 9, Width = 9)]
[Conv2D(Filters = 2, Size = 3, Dilation = 2, Padding = 2)]
[AvgPool2D(Size = 3, Stride = 2, Padding = 1)]
[Conv2D(Filters = 3, Size = 2)]
[GlobalAvgPool2D]
[Conv2D(Filters = 4, Size = 1)]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class DilatedModel
{
}

/// <summary>The multiclass hinge loss with a margin other than 1.</summary>
[Model(Channels = 1, Height = 1, Width = 6)]
[Dense(5)]
[ReLU]
[Dense(4)]
[MulticlassHinge(Margin = 1.5)]
public sealed partial class HingeModel
{
}

/// <summary>BatchNorm after a convolution and after a dense layer, each followed by ReLU, so both fold at inference.</summary>
[Model(Channels = 2, Height = 6, Width = 6)]
[Conv2D(Filters = 4, Size = 3, Padding = 1)]
[BatchNorm]
[ReLU]
[MaxPool2D(Size = 2)]
[Dense(6)]
[BatchNorm(Momentum = 0.3, Epsilon = 1e-3)]
[ReLU]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class BatchNormModel
{
}

/// <summary>BatchNorm after an activation, which cannot fold, and BatchNorm on the raw input.</summary>
[Model(Channels = 2, Height = 5, Width = 5)]
[BatchNorm]
[Conv2D(Filters = 3, Size = 3)]
[Tanh]
[BatchNorm]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class UnfoldedBatchNormModel
{
}

/// <summary>LayerNorm, InstanceNorm with and without scale and shift, and GroupNorm.</summary>
[Model(Channels = 2, Height = 5, Width = 5)]
[Conv2D(Filters = 6, Size = 3, Padding = 1)]
[GroupNorm(Groups = 3)]
[Tanh]
[Conv2D(Filters = 4, Size = 3)]
[InstanceNorm(Affine = true)]
[ReLU]
[Conv2D(Filters = 4, Size = 1)]
[InstanceNorm]
[LayerNorm]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class NormalizationModel
{
}

/// <summary>9x9 and 3x25 kernels, more taps than the generator unrolls, so im2col and col2im run as loops.</summary>
[Model(Channels = 2, Height = 12, Width = 12)]
[Conv2D(Filters = 3, Size = 9, Padding = 2)]
[ReLU]
[Conv2D(Filters = 2, KernelHeight = 3, KernelWidth = 25, PaddingWidth = 9)]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class LargeKernelModel
{
}

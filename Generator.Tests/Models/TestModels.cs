using ModelCompiler;

namespace ModelCompiler.Tests.Models;

// Models compiled by the real build of this test project, with the generator referenced as an analyzer.
// Together they cover every layer kind, stride and padding on convolutions, overlapping pooling windows,
// 1x1 convolutions, multi-channel and rectangular inputs, and layers below the first trainable layer.

/// <summary>The Fashion-MNIST sample's network.</summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Conv2D(Filters = 8, Size = 5, Padding = 2)]
[ReLU]
[MaxPool2D(Size = 2)]
[Conv2D(Filters = 16, Size = 5)]
[ReLU]
[MaxPool2D(Size = 2)]
[Dense(120)]
[ReLU]
[Dense(84)]
[ReLU]
[Dense(10)]
[SoftmaxCrossEntropy]
public sealed partial class LeNetModel
{
}

/// <summary>Stride 2 with padding 1 on a two-channel input, then 3x3 pooling windows that overlap (stride 2).</summary>
[Model(Channels = 2, Height = 9, Width = 9)]
[Conv2D(Filters = 3, Size = 3, Stride = 2, Padding = 1)]
[ReLU]
[MaxPool2D(Size = 3, Stride = 2)]
[Dense(4)]
[SoftmaxCrossEntropy]
public sealed partial class StridedModel
{
}

/// <summary>A 1x1 convolution on a rectangular three-channel input, a padded 3x3 convolution, stride-1 pooling.</summary>
[Model(Channels = 3, Height = 6, Width = 5)]
[Conv2D(Filters = 4, Size = 1)]
[ReLU]
[Conv2D(Filters = 2, Size = 3, Padding = 1)]
[MaxPool2D(Size = 2, Stride = 1)]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class PointwiseModel
{
}

/// <summary>Dense layers only, on a flat input.</summary>
[Model(Channels = 1, Height = 1, Width = 12)]
[Dense(7)]
[ReLU]
[Dense(5)]
[SoftmaxCrossEntropy]
public sealed partial class PerceptronModel
{
}

/// <summary>ReLU and pooling on the raw input before the first trainable layer, and a wide padding.</summary>
[Model(Channels = 1, Height = 8, Width = 8)]
[ReLU]
[MaxPool2D(Size = 2)]
[Conv2D(Filters = 2, Size = 2, Padding = 3, Stride = 2)]
[Dense(3)]
[SoftmaxCrossEntropy]
public sealed partial class ReluFirstModel
{
}

/// <summary>A model nested in a partial class, to check that the generated declaration nests the same way.</summary>
public static partial class ModelContainer
{
    [Model(Channels = 1, Height = 2, Width = 3)]
    [Dense(2)]
    [SoftmaxCrossEntropy]
    public sealed partial class NestedModel
    {
    }
}

using ModelCompiler;

namespace ModelCompiler.Samples.FashionMnist;

/// <summary>
/// A LeNet-5-style network for 28x28 grey images: two convolution and pooling stages, then three dense layers.
/// The generator adds the shapes, parameters, forward and backward code; see the generated file for the table.
/// </summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Conv2D(Filters = 8, Size = 5, Padding = 2)]   // 8x28x28
[ReLU]
[MaxPool2D(Size = 2)]                          // 8x14x14
[Conv2D(Filters = 16, Size = 5)]               // 16x10x10
[ReLU]
[MaxPool2D(Size = 2)]                          // 16x5x5
[Dense(120)]
[ReLU]
[Dense(84)]
[ReLU]
[Dense(10)]
[SoftmaxCrossEntropy]
public sealed partial class LeNet5
{
}

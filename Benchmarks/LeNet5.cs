using ModelCompiler;

namespace ModelCompiler.Benchmarks;

/// <summary>The Fashion-MNIST sample's network, generated into this project for the benchmarks.</summary>
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
public sealed partial class LeNet5
{
}

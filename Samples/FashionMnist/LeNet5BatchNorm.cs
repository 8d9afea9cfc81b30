using ModelCompiler;

namespace ModelCompiler.Samples.FashionMnist;

/// <summary>
/// <see cref="LeNet5"/> with BatchNorm after each convolution. In evaluation mode each BatchNorm folds into the
/// convolution before it, so inference costs the same as the plain network.
/// </summary>
[Model(Channels = 1, Height = 28, Width = 28)]
[Conv2D(Filters = 8, Size = 5, Padding = 2)]   // 8x28x28
[BatchNorm]
[ReLU]
[MaxPool2D(Size = 2)]                          // 8x14x14
[Conv2D(Filters = 16, Size = 5)]               // 16x10x10
[BatchNorm]
[ReLU]
[MaxPool2D(Size = 2)]                          // 16x5x5
[Dense(120)]
[ReLU]
[Dense(84)]
[ReLU]
[Dense(10)]
[SoftmaxCrossEntropy]
public sealed partial class LeNet5BatchNorm
{
}

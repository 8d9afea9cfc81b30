using ModelCompiler;

namespace ModelCompiler.Tests.Models;

/// <summary>Six tanh layers of 1000 units with weights drawn from N(0, 0.01^2): activations shrink toward zero.</summary>
[Model(Channels = 1, Height = 1, Width = 1000, Initializer = Initializer.Gaussian, InitializerScale = 0.01)]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(10)]
[SoftmaxCrossEntropy]
public sealed partial class DeepTanhSmallWeights
{
}

/// <summary>The same network with weights from N(0, 0.05^2): activations pile up near -1 and 1.</summary>
[Model(Channels = 1, Height = 1, Width = 1000, Initializer = Initializer.Gaussian, InitializerScale = 0.05)]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(1000)] [Tanh]
[Dense(10)]
[SoftmaxCrossEntropy]
public sealed partial class DeepTanhLargeWeights
{
}

namespace ModelCompiler.Data;

/// <summary>The training and test splits of an MNIST-format dataset such as Fashion-MNIST.</summary>
/// <param name="Train">The training split, 60000 examples for MNIST and Fashion-MNIST.</param>
/// <param name="Test">The test split, 10000 examples for MNIST and Fashion-MNIST.</param>
public sealed record MnistDataset(MnistSplit Train, MnistSplit Test);

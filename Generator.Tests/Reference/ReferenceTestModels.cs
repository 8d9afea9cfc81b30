using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Reference;

/// <summary>Model descriptions and seeded random points shared by the reference interpreter tests.</summary>
internal static class ReferenceTestModels
{
    /// <summary>A LeNet-5-like classifier for 1x28x28 images with 10 classes and 62558 parameters.</summary>
    public static ModelDescription LeNet() => new(1, 28, 28,
    [
        new Conv2DLayer(Filters: 8, Size: 5, Stride: 1, Padding: 2),
        new ReLULayer(),
        new MaxPool2DLayer(Size: 2, Stride: 2),
        new Conv2DLayer(Filters: 16, Size: 5, Stride: 1, Padding: 0),
        new ReLULayer(),
        new MaxPool2DLayer(Size: 2, Stride: 2),
        new DenseLayer(120),
        new ReLULayer(),
        new DenseLayer(84),
        new ReLULayer(),
        new DenseLayer(10),
        new SoftmaxCrossEntropyLayer(),
    ]);

    /// <summary>
    /// The LeNet layer sequence at a size where a finite-difference check of every parameter is fast:
    /// 1x12x12 -> 4x12x12 -> 4x6x6 -> 6x4x4 -> 6x2x2 -> 10 -> 8 -> 5 classes.
    /// </summary>
    public static ModelDescription SmallLeNet() => new(1, 12, 12,
    [
        new Conv2DLayer(Filters: 4, Size: 5, Stride: 1, Padding: 2),
        new ReLULayer(),
        new MaxPool2DLayer(Size: 2, Stride: 2),
        new Conv2DLayer(Filters: 6, Size: 3, Stride: 1, Padding: 0),
        new ReLULayer(),
        new MaxPool2DLayer(Size: 2, Stride: 2),
        new DenseLayer(10),
        new ReLULayer(),
        new DenseLayer(8),
        new ReLULayer(),
        new DenseLayer(5),
        new SoftmaxCrossEntropyLayer(),
    ]);

    /// <summary>Builds a description from an input shape and layers, which must end with the loss.</summary>
    public static ModelDescription Model(int channels, int height, int width, params LayerDescription[] layers) =>
        new(channels, height, width, layers);
}

/// <summary>Parameters, input and labels for one batch.</summary>
internal sealed record ReferencePoint(double[] Parameters, double[] Input, int[] Labels, int BatchSize)
{
    /// <summary>
    /// Draws a seeded random point: weights uniform with variance 1 / fan-in, biases in [-0.2, 0.2],
    /// inputs in [-1, 1] and uniform labels.
    /// </summary>
    public static ReferencePoint Random(ReferenceNetwork<double> network, int batchSize, int seed)
    {
        var random = new Random(seed);
        var parameters = new double[network.ParameterCount];
        foreach (ReferenceLayerInfo layer in network.Layers)
        {
            if (layer.BiasCount == 0)
            {
                continue;
            }

            // Uniform on [-a, a] has variance a^2 / 3, so a = sqrt(3 / fanIn) gives variance 1 / fanIn.
            int fanIn = layer.WeightCount / layer.BiasCount;
            double weightBound = Math.Sqrt(3.0 / fanIn);
            for (int i = 0; i < layer.WeightCount; i++)
            {
                parameters[layer.WeightOffset + i] = Uniform(random, weightBound);
            }

            for (int i = 0; i < layer.BiasCount; i++)
            {
                parameters[layer.BiasOffset + i] = Uniform(random, 0.2);
            }
        }

        var input = new double[batchSize * network.InputSize];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = Uniform(random, 1.0);
        }

        var labels = new int[batchSize];
        for (int n = 0; n < batchSize; n++)
        {
            labels[n] = random.Next(network.OutputSize);
        }

        return new ReferencePoint(parameters, input, labels, batchSize);
    }

    private static double Uniform(Random random, double bound) => ((2.0 * random.NextDouble()) - 1.0) * bound;
}

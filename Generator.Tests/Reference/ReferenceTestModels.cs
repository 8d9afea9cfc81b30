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

/// <summary>Parameters, input, labels and batch-normalization state for one batch.</summary>
internal sealed record ReferencePoint(double[] Parameters, double[] Input, int[] Labels, int BatchSize)
{
    /// <summary>Running statistics, <see cref="ReferenceNetwork{T}.StateCount"/> values, which is empty for a model without state.</summary>
    public double[] State { get; init; } = [];

    /// <summary>Returns a copy of <see cref="State"/>, for a pass in training mode that updates it.</summary>
    public double[] CopyState() => [.. State];

    /// <summary>
    /// Draws a seeded random point with uniform values. Convolution and dense weights have variance 1 / fan-in
    /// and their biases lie in [-0.2, 0.2]. PReLU slopes lie in [0.05, 0.45], normalization scales in [0.5, 1.5]
    /// and shifts in [-0.2, 0.2]. Inputs lie in [-1, 1] and labels are uniform. Batch-normalization running means
    /// lie in [-0.5, 0.5] and running variances in [0.5, 1.5].
    /// </summary>
    public static ReferencePoint Random(ReferenceNetwork<double> network, int batchSize, int seed)
    {
        var random = new Random(seed);
        var parameters = new double[network.ParameterCount];
        foreach (ReferenceLayerInfo layer in network.Layers)
        {
            switch (layer.Description)
            {
                case Conv2DLayer or DenseLayer:
                    // Uniform on [-a, a] has variance a^2 / 3, so a = sqrt(3 / fanIn) gives variance 1 / fanIn.
                    int fanIn = layer.WeightCount / layer.BiasCount;
                    Fill(random, parameters.AsSpan(layer.WeightOffset, layer.WeightCount), 0.0, Math.Sqrt(3.0 / fanIn));
                    Fill(random, parameters.AsSpan(layer.BiasOffset, layer.BiasCount), 0.0, 0.2);
                    break;
                case PReLULayer:
                    Fill(random, parameters.AsSpan(layer.WeightOffset, layer.WeightCount), 0.25, 0.2);
                    break;
                case BatchNormLayer or LayerNormLayer or InstanceNormLayer or GroupNormLayer:
                    Fill(random, parameters.AsSpan(layer.WeightOffset, layer.WeightCount), 1.0, 0.5);
                    Fill(random, parameters.AsSpan(layer.BiasOffset, layer.BiasCount), 0.0, 0.2);
                    break;
            }
        }

        var input = new double[batchSize * network.InputSize];
        Fill(random, input, 0.0, 1.0);

        var labels = new int[batchSize];
        for (int n = 0; n < batchSize; n++)
        {
            labels[n] = random.Next(network.OutputSize);
        }

        double[] state = network.CreateInitialState();
        foreach (ReferenceLayerInfo layer in network.Layers)
        {
            int channels = layer.StateCount / 2;
            Fill(random, state.AsSpan(layer.StateOffset, channels), 0.0, 0.5);
            Fill(random, state.AsSpan(layer.StateOffset + channels, channels), 1.0, 0.5);
        }

        return new ReferencePoint(parameters, input, labels, batchSize) { State = state };
    }

    /// <summary>Fills <paramref name="values"/> with draws uniform on [center - halfWidth, center + halfWidth].</summary>
    private static void Fill(Random random, Span<double> values, double center, double halfWidth)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = center + (((2.0 * random.NextDouble()) - 1.0) * halfWidth);
        }
    }
}

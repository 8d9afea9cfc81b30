using ModelCompiler.Reference;
using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

public class ReferenceShapeInferenceTests
{
    [Fact]
    public void LeNetShapes()
    {
        var network = new ReferenceNetwork<float>(LeNet());

        ReferenceShape[] expectedOutputs =
        [
            new(8, 28, 28), // Conv2D 5x5, padding 2: (28 - 5 + 4) / 1 + 1 = 28
            new(8, 28, 28), // ReLU
            new(8, 14, 14), // MaxPool2D 2, stride 2: (28 - 2) / 2 + 1 = 14
            new(16, 10, 10), // Conv2D 5x5, no padding: (14 - 5) / 1 + 1 = 10
            new(16, 10, 10), // ReLU
            new(16, 5, 5), // MaxPool2D 2, stride 2: (10 - 2) / 2 + 1 = 5
            new(120, 1, 1), // Dense 400 -> 120
            new(120, 1, 1), // ReLU
            new(84, 1, 1), // Dense 120 -> 84
            new(84, 1, 1), // ReLU
            new(10, 1, 1), // Dense 84 -> 10
            new(1, 1, 1), // SoftmaxCrossEntropy: one loss value
        ];
        Assert.Equal(expectedOutputs, network.Layers.Select(layer => layer.OutputShape));
        Assert.Equal(new ReferenceShape(1, 28, 28), network.Layers[0].InputShape);
        for (int index = 1; index < network.Layers.Count; index++)
        {
            Assert.Equal(network.Layers[index - 1].OutputShape, network.Layers[index].InputShape);
        }
    }

    [Fact]
    public void LeNetSizes()
    {
        var network = new ReferenceNetwork<float>(LeNet());

        Assert.Equal(784, network.InputSize);
        Assert.Equal(10, network.OutputSize);
        Assert.Equal((8 * 25) + 8 + (16 * 200) + 16 + (400 * 120) + 120 + (120 * 84) + 84 + (84 * 10) + 10, network.ParameterCount);
        Assert.Equal(62558, network.ParameterCount);
    }

    [Fact]
    public void LeNetParameterLayout()
    {
        var network = new ReferenceNetwork<float>(LeNet());

        // (layer index, weight offset, weight count, bias offset, bias count) for the layers with parameters.
        (int Layer, int WeightOffset, int WeightCount, int BiasOffset, int BiasCount)[] expected =
        [
            (0, 0, 200, 200, 8),
            (3, 208, 3200, 3408, 16),
            (6, 3424, 48000, 51424, 120),
            (8, 51544, 10080, 61624, 84),
            (10, 61708, 840, 62548, 10),
        ];
        foreach (var row in expected)
        {
            ReferenceLayerInfo layer = network.Layers[row.Layer];
            Assert.Equal(row.WeightOffset, layer.WeightOffset);
            Assert.Equal(row.WeightCount, layer.WeightCount);
            Assert.Equal(row.BiasOffset, layer.BiasOffset);
            Assert.Equal(row.BiasCount, layer.BiasCount);
        }
    }

    [Fact]
    public void ParameterFreeLayersSitAtCurrentOffset()
    {
        var network = new ReferenceNetwork<float>(LeNet());

        ReferenceLayerInfo pooling = network.Layers[2];
        Assert.Equal(208, pooling.WeightOffset);
        Assert.Equal(0, pooling.WeightCount);
        Assert.Equal(208, pooling.BiasOffset);
        Assert.Equal(0, pooling.BiasCount);

        ReferenceLayerInfo loss = network.Layers[^1];
        Assert.Equal(62558, loss.WeightOffset);
        Assert.Equal(0, loss.WeightCount + loss.BiasCount);
    }

    [Fact]
    public void LayersKeepTheirDescriptions()
    {
        ModelDescription description = LeNet();
        var network = new ReferenceNetwork<float>(description);

        Assert.Equal(description.Layers, network.Layers.Select(layer => layer.Description));
        Assert.Same(description, network.Description);
    }

    [Fact]
    public void MaxPoolUnsetStrideUsesSize()
    {
        // The attribute's Stride is 0 unless set, meaning "equal to Size".
        var network = new ReferenceNetwork<float>(Model(2, 6, 6, new MaxPool2DLayer(Size: 3, Stride: 0), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(2, 2, 2), network.Layers[0].OutputShape);
    }

    [Fact]
    public void OverlappingMaxPoolShape()
    {
        var network = new ReferenceNetwork<float>(Model(2, 7, 7, new MaxPool2DLayer(Size: 3, Stride: 2), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(2, 3, 3), network.Layers[0].OutputShape);
    }

    [Fact]
    public void StridedConvolutionShape()
    {
        var network = new ReferenceNetwork<float>(Model(2, 7, 7, new Conv2DLayer(3, 3, 2, 1), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(3, 4, 4), network.Layers[0].OutputShape);
        Assert.Equal(3 * 2 * 3 * 3, network.Layers[0].WeightCount);
        Assert.Equal(3, network.Layers[0].BiasCount);
        Assert.Equal(48, network.OutputSize);
    }

    [Fact]
    public void NonRectangularConvolutionShape()
    {
        var network = new ReferenceNetwork<float>(Model(1, 9, 5, new Conv2DLayer(2, 3, 2, 0), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(2, 4, 2), network.Layers[0].OutputShape);
    }

    [Fact]
    public void LossOnlyModelUsesInputAsLogits()
    {
        var network = new ReferenceNetwork<float>(Model(1, 1, 4, new SoftmaxCrossEntropyLayer()));

        Assert.Equal(4, network.OutputSize);
        Assert.Equal(0, network.ParameterCount);
    }

    [Fact]
    public void NonIntegralConvolutionRejected()
    {
        // (3 - 2 + 2 * 1) / 2 + 1 = 3 / 2 + 1 is not a whole number.
        ModelDescription description = Model(1, 3, 3, new Conv2DLayer(1, 2, 2, 1), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 0", "Conv2DLayer", "output height", "(3 - 2 + 2 * 1) / 2 + 1", "3 is not divisible by 2");
    }

    [Fact]
    public void NonIntegralConvolutionWidthRejected()
    {
        ModelDescription description = Model(1, 5, 6, new Conv2DLayer(1, 3, 2, 0), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 0", "output width", "(6 - 3 + 2 * 0) / 2 + 1", "3 is not divisible by 2");
    }

    [Fact]
    public void NonIntegralMaxPoolRejected()
    {
        // The convolution outputs 5x5, and (5 - 2) / 2 + 1 is not a whole number.
        ModelDescription description = Model(
            1, 7, 7, new Conv2DLayer(2, 3, 1, 0), new MaxPool2DLayer(2, 2), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 1", "MaxPool2DLayer", "output height", "(5 - 2) / 2 + 1", "3 is not divisible by 2");
    }

    [Fact]
    public void NonIntegralOverlappingMaxPoolRejected()
    {
        ModelDescription description = Model(1, 6, 6, new MaxPool2DLayer(3, 2), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 0", "(6 - 3) / 2 + 1", "3 is not divisible by 2");
    }

    [Fact]
    public void KernelLargerThanPaddedInputRejected()
    {
        ModelDescription description = Model(1, 4, 4, new Conv2DLayer(1, 7, 1, 1), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 0", "kernel size 7", "4 + 2 * 1 = 6");
    }

    [Fact]
    public void PoolingWindowLargerThanInputRejected()
    {
        ModelDescription description = Model(
            1, 4, 4, new Conv2DLayer(1, 3, 1, 0), new ReLULayer(), new MaxPool2DLayer(3, 1), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 2", "window size 3", "input height 2");
    }

    [Fact]
    public void NonPositiveHyperparametersRejected()
    {
        AssertInvalid(Model(1, 4, 4, new Conv2DLayer(0, 3, 1, 0), new SoftmaxCrossEntropyLayer()), "Layer 0", "Filters", "is 0");
        AssertInvalid(Model(1, 4, 4, new Conv2DLayer(2, 0, 1, 0), new SoftmaxCrossEntropyLayer()), "Layer 0", "Size", "is 0");
        AssertInvalid(Model(1, 4, 4, new Conv2DLayer(2, 3, 0, 0), new SoftmaxCrossEntropyLayer()), "Layer 0", "Stride", "is 0");
        AssertInvalid(Model(1, 4, 4, new Conv2DLayer(2, 3, 1, -1), new SoftmaxCrossEntropyLayer()), "Layer 0", "Padding", "is -1");
        AssertInvalid(Model(1, 4, 4, new MaxPool2DLayer(0, 1), new SoftmaxCrossEntropyLayer()), "Layer 0", "Size", "is 0");
        AssertInvalid(Model(1, 4, 4, new MaxPool2DLayer(2, -2), new SoftmaxCrossEntropyLayer()), "Layer 0", "Stride", "is -2");
        AssertInvalid(Model(1, 4, 4, new ReLULayer(), new DenseLayer(-3), new SoftmaxCrossEntropyLayer()), "Layer 1", "Units", "is -3");
    }

    [Fact]
    public void NonPositiveInputShapeRejected()
    {
        AssertInvalid(Model(0, 4, 4, new SoftmaxCrossEntropyLayer()), "input channels", "is 0");
        AssertInvalid(Model(1, -4, 4, new SoftmaxCrossEntropyLayer()), "input height", "is -4");
        AssertInvalid(Model(1, 4, 0, new SoftmaxCrossEntropyLayer()), "input width", "is 0");
    }

    [Fact]
    public void MissingLossRejected()
    {
        AssertInvalid(Model(1, 1, 4, new DenseLayer(2)), "last layer must be a SoftmaxCrossEntropyLayer", "layer 0 is DenseLayer");
        AssertInvalid(Model(1, 1, 4), "no layers", "SoftmaxCrossEntropyLayer");
    }

    [Fact]
    public void LossBeforeLastLayerRejected()
    {
        ModelDescription description = Model(1, 1, 4, new DenseLayer(3), new SoftmaxCrossEntropyLayer(), new DenseLayer(2), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 1 (SoftmaxCrossEntropyLayer) must be the last layer", "2 layer(s) follow it");
    }

    [Fact]
    public void NullLayerRejected()
    {
        ModelDescription description = new(1, 1, 4, [new DenseLayer(2), null!, new SoftmaxCrossEntropyLayer()]);

        AssertInvalid(description, "Layer 1 is null");
    }

    [Fact]
    public void UnsupportedLayerTypeRejected()
    {
        ModelDescription description = Model(1, 1, 4, new UnknownLayer(), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 0", "unsupported type UnknownLayer");
    }

    [Fact]
    public void OversizedWeightCountRejected()
    {
        ModelDescription description = Model(1000, 100, 100, new DenseLayer(1_000_000), new SoftmaxCrossEntropyLayer());

        AssertInvalid(description, "Layer 0", "1000000 x 10000000", "maximum array length");
    }

    private static void AssertInvalid(ModelDescription description, params string[] messageFragments)
    {
        var exception = Assert.Throws<ArgumentException>(() => new ReferenceNetwork<double>(description));
        foreach (string fragment in messageFragments)
        {
            Assert.Contains(fragment, exception.Message, StringComparison.Ordinal);
        }
    }

    private sealed record UnknownLayer : LayerDescription;
}

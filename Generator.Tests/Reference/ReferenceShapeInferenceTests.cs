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
        AssertInvalid(Model(1, 4, 4, new Conv2DLayer(0, 3, 1, 0), new SoftmaxCrossEntropyLayer()), "Layer 0", "Filters must be positive, but is 0");
        AssertInvalid(Model(1, 4, 4, new Conv2DLayer(2, 0, 1, 0), new SoftmaxCrossEntropyLayer()), "Layer 0", "KernelHeight must be positive, but is 0");
        AssertInvalid(Model(1, 4, 4, new Conv2DLayer(2, 3, 0, 0), new SoftmaxCrossEntropyLayer()), "Layer 0", "StrideHeight must be positive, but is 0");
        AssertInvalid(Model(1, 4, 4, new Conv2DLayer(2, 3, 1, -1), new SoftmaxCrossEntropyLayer()), "Layer 0", "PaddingHeight must be zero or positive, but is -1");
        AssertInvalid(Model(1, 4, 4, new MaxPool2DLayer(0, 1), new SoftmaxCrossEntropyLayer()), "Layer 0", "KernelHeight must be positive, but is 0");
        AssertInvalid(Model(1, 4, 4, new MaxPool2DLayer(2, -2), new SoftmaxCrossEntropyLayer()), "Layer 0", "StrideHeight must be positive, or 0", "but is -2");
        AssertInvalid(Model(1, 4, 4, new ReLULayer(), new DenseLayer(-3), new SoftmaxCrossEntropyLayer()), "Layer 1", "Units must be positive, but is -3");
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
        AssertInvalid(
            Model(1, 1, 4, new DenseLayer(2)),
            "last layer must be a loss layer (SoftmaxCrossEntropyLayer or MulticlassHingeLayer)",
            "layer 0 is DenseLayer");
        AssertInvalid(Model(1, 1, 4), "no layers", "SoftmaxCrossEntropyLayer or MulticlassHingeLayer");
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

    [Fact]
    public void RectangularDilatedConvolutionShape()
    {
        // Height: (9 + 2 * 1 - 2 * (3 - 1) - 1) / 2 + 1 = 4. Width: (8 + 2 * 0 - 3 * (2 - 1) - 1) / 1 + 1 = 5.
        var convolution = new Conv2DLayer(3, 1, 1, 0)
        {
            KernelHeight = 3, KernelWidth = 2, StrideHeight = 2, StrideWidth = 1,
            PaddingHeight = 1, PaddingWidth = 0, DilationHeight = 2, DilationWidth = 3,
        };
        var network = new ReferenceNetwork<float>(Model(2, 9, 8, convolution, new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(3, 4, 5), network.Layers[0].OutputShape);
        Assert.Equal(3 * 2 * 3 * 2, network.Layers[0].WeightCount);
        Assert.Equal(3, network.Layers[0].BiasCount);
    }

    [Fact]
    public void OneByOneConvolutionShape()
    {
        var network = new ReferenceNetwork<float>(Model(3, 5, 4, new Conv2DLayer(7, 1, 1, 0), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(7, 5, 4), network.Layers[0].OutputShape);
        Assert.Equal(7 * 3, network.Layers[0].WeightCount);
    }

    [Fact]
    public void NonIntegralDilatedConvolutionRejected()
    {
        // (6 + 2 * 0 - 2 * (3 - 1) - 1) / 2 + 1: 1 is not divisible by 2.
        var convolution = new Conv2DLayer(1, 3, 2, 0) { DilationHeight = 2 };

        AssertInvalid(
            Model(1, 6, 7, convolution, new SoftmaxCrossEntropyLayer()),
            "Layer 0", "output height", "(6 + 2 * 0 - 2 * (3 - 1) - 1) / 2 + 1", "1 is not divisible by 2");
    }

    [Fact]
    public void DilatedKernelLargerThanInputRejected()
    {
        var convolution = new Conv2DLayer(1, 3, 1, 0) { DilationWidth = 3 };

        AssertInvalid(
            Model(1, 7, 6, convolution, new SoftmaxCrossEntropyLayer()),
            "Layer 0", "dilated kernel extent 3 * (3 - 1) + 1 = 7", "padded input width 6 + 2 * 0 = 6");
    }

    [Fact]
    public void NonPositiveDilationRejected()
    {
        AssertInvalid(
            Model(1, 4, 4, new Conv2DLayer(1, 3, 1, 0) { DilationHeight = 0 }, new SoftmaxCrossEntropyLayer()),
            "Layer 0", "DilationHeight must be positive, but is 0");
    }

    [Fact]
    public void PaddedRectangularMaxPoolShape()
    {
        // StrideWidth 0 means the window width 2. Height: (7 + 2 * 1 - 3) / 2 + 1 = 4. Width: (6 + 2 * 1 - 2) / 2 + 1 = 4.
        var pooling = new MaxPool2DLayer(2, 2) { KernelHeight = 3, StrideWidth = 0, PaddingHeight = 1, PaddingWidth = 1 };
        var network = new ReferenceNetwork<float>(Model(2, 7, 6, pooling, new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(2, 4, 4), network.Layers[0].OutputShape);
        Assert.Equal(0, network.Layers[0].WeightCount + network.Layers[0].BiasCount);
    }

    [Fact]
    public void PaddedAvgPoolShape()
    {
        // (5 + 2 * 1 - 3) / 2 + 1 = 3 in both dimensions.
        var network = new ReferenceNetwork<float>(
            Model(2, 5, 5, new AvgPool2DLayer(3, 2) { PaddingHeight = 1, PaddingWidth = 1 }, new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(2, 3, 3), network.Layers[0].OutputShape);
    }

    [Fact]
    public void AvgPoolUnsetStrideUsesSize()
    {
        var network = new ReferenceNetwork<float>(Model(1, 6, 4, new AvgPool2DLayer(2, 0), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(1, 3, 2), network.Layers[0].OutputShape);
    }

    [Fact]
    public void PoolingPaddingAboveHalfWindowRejected()
    {
        // PyTorch allows padding up to kernel / 2 rounded down: 1 for a window of 3, 0 for a window of 1.
        AssertInvalid(
            Model(1, 6, 6, new MaxPool2DLayer(3, 1) { PaddingHeight = 2 }, new SoftmaxCrossEntropyLayer()),
            "Layer 0", "PaddingHeight 2 is more than half the window", "KernelHeight 3 / 2 = 1");
        AssertInvalid(
            Model(1, 6, 6, new AvgPool2DLayer(1, 1) { PaddingWidth = 1 }, new SoftmaxCrossEntropyLayer()),
            "Layer 0", "PaddingWidth 1 is more than half the window", "KernelWidth 1 / 2 = 0");
        AssertInvalid(
            Model(1, 6, 6, new AvgPool2DLayer(2, 2) { PaddingWidth = -1 }, new SoftmaxCrossEntropyLayer()),
            "Layer 0", "PaddingWidth must be zero or positive, but is -1");
    }

    [Fact]
    public void PoolingPaddingAtHalfWindowAccepted()
    {
        var network = new ReferenceNetwork<float>(
            Model(1, 4, 4, new MaxPool2DLayer(2, 1) { PaddingHeight = 1, PaddingWidth = 1 }, new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(1, 5, 5), network.Layers[0].OutputShape);
    }

    [Fact]
    public void NonIntegralPaddedPoolRejected()
    {
        AssertInvalid(
            Model(1, 6, 6, new AvgPool2DLayer(3, 2) { PaddingHeight = 1 }, new SoftmaxCrossEntropyLayer()),
            "Layer 0", "output height", "(6 - 3 + 2 * 1) / 2 + 1", "5 is not divisible by 2");
    }

    [Fact]
    public void GlobalAvgPoolShape()
    {
        var network = new ReferenceNetwork<float>(Model(5, 3, 4, new GlobalAvgPool2DLayer(), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(5, 1, 1), network.Layers[0].OutputShape);
        Assert.Equal(5, network.OutputSize);
    }

    [Fact]
    public void ElementwiseActivationsKeepShape()
    {
        LayerDescription[] activations =
        [
            new SigmoidLayer(), new TanhLayer(), new LeakyReLULayer(0.1), new ELULayer(1.0), new SELULayer(),
            new SwishLayer(1.0), new GELULayer(GeluApproximation.None), new GELULayer(GeluApproximation.Tanh),
        ];
        foreach (LayerDescription activation in activations)
        {
            var network = new ReferenceNetwork<float>(Model(3, 2, 5, activation, new SoftmaxCrossEntropyLayer()));

            Assert.Equal(new ReferenceShape(3, 2, 5), network.Layers[0].OutputShape);
            Assert.Equal(0, network.ParameterCount);
        }
    }

    [Fact]
    public void PReLUParameterCountPerChannel()
    {
        var network = new ReferenceNetwork<float>(Model(4, 3, 3, new PReLULayer(Shared: false), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(4, network.Layers[0].WeightCount);
        Assert.Equal(0, network.Layers[0].BiasCount);
        Assert.Equal(4, network.ParameterCount);
    }

    [Fact]
    public void PReLUParameterCountShared()
    {
        var network = new ReferenceNetwork<float>(Model(4, 3, 3, new PReLULayer(Shared: true), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(1, network.Layers[0].WeightCount);
        Assert.Equal(0, network.Layers[0].BiasCount);
    }

    [Fact]
    public void PReLUAfterDenseHasSlopePerFeature()
    {
        // A dense layer outputs 6 x 1 x 1, so each of its 6 features is a channel, like PReLU(num_parameters=6) on [N, 6].
        var network = new ReferenceNetwork<float>(Model(1, 2, 2, new DenseLayer(6), new PReLULayer(false), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(4 * 6 + 6, network.Layers[1].WeightOffset);
        Assert.Equal(6, network.Layers[1].WeightCount);
        Assert.Equal(4 * 6 + 6 + 6, network.ParameterCount);
    }

    [Fact]
    public void MaxoutShape()
    {
        var spatial = new ReferenceNetwork<float>(Model(6, 2, 3, new MaxoutLayer(3), new SoftmaxCrossEntropyLayer()));
        var flat = new ReferenceNetwork<float>(Model(1, 1, 3, new DenseLayer(8), new MaxoutLayer(2), new SoftmaxCrossEntropyLayer()));

        Assert.Equal(new ReferenceShape(2, 2, 3), spatial.Layers[0].OutputShape);
        Assert.Equal(new ReferenceShape(4, 1, 1), flat.Layers[1].OutputShape);
    }

    [Fact]
    public void MaxoutIndivisibleChannelsRejected()
    {
        AssertInvalid(
            Model(8, 2, 2, new MaxoutLayer(3), new SoftmaxCrossEntropyLayer()),
            "Layer 0", "8 channels, which is not a multiple of Pieces 3", "for example 6 or 9");
    }

    [Fact]
    public void MaxoutSinglePieceRejected()
    {
        AssertInvalid(Model(4, 1, 1, new MaxoutLayer(1), new SoftmaxCrossEntropyLayer()), "Layer 0", "Pieces must be at least 2, but is 1");
    }

    [Fact]
    public void BatchNormParameterAndStateLayout()
    {
        // Conv 2 -> 3 channels (3 x 2 x 3 x 3 weights + 3 biases = 57), BN(3), Dense(4), BN(4).
        var network = new ReferenceNetwork<float>(Model(
            2, 5, 5,
            new Conv2DLayer(3, 3, 1, 0),
            new BatchNormLayer(1e-5, 0.1),
            new DenseLayer(4),
            new BatchNormLayer(1e-5, 0.1),
            new SoftmaxCrossEntropyLayer()));

        ReferenceLayerInfo first = network.Layers[1];
        Assert.Equal((57, 3, 60, 3), (first.WeightOffset, first.WeightCount, first.BiasOffset, first.BiasCount));
        Assert.Equal((0, 6), (first.StateOffset, first.StateCount));

        ReferenceLayerInfo second = network.Layers[3];
        int secondOffset = 63 + (27 * 4) + 4;
        Assert.Equal((secondOffset, 4, secondOffset + 4, 4), (second.WeightOffset, second.WeightCount, second.BiasOffset, second.BiasCount));
        Assert.Equal((6, 8), (second.StateOffset, second.StateCount));

        Assert.Equal(14, network.StateCount);
        Assert.Equal(14, network.Layers[^1].StateOffset);
        Assert.All(network.Layers.Where(layer => layer.Description is not BatchNormLayer), layer => Assert.Equal(0, layer.StateCount));
    }

    [Fact]
    public void InitialStateIsZeroMeansAndUnitVariances()
    {
        var network = new ReferenceNetwork<double>(Model(
            2, 1, 1, new BatchNormLayer(1e-5, 0.1), new DenseLayer(3), new BatchNormLayer(1e-5, 0.1), new SoftmaxCrossEntropyLayer()));

        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 1, 1, 1], network.CreateInitialState());
    }

    [Fact]
    public void ModelWithoutBatchNormHasNoState()
    {
        var network = new ReferenceNetwork<double>(LeNet());

        Assert.Equal(0, network.StateCount);
        Assert.Empty(network.CreateInitialState());
    }

    [Fact]
    public void NormalizationParameterCounts()
    {
        var layerNorm = new ReferenceNetwork<float>(Model(3, 2, 4, new LayerNormLayer(1e-5), new SoftmaxCrossEntropyLayer()));
        var affineInstanceNorm = new ReferenceNetwork<float>(Model(3, 2, 4, new InstanceNormLayer(1e-5, Affine: true), new SoftmaxCrossEntropyLayer()));
        var plainInstanceNorm = new ReferenceNetwork<float>(Model(3, 2, 4, new InstanceNormLayer(1e-5, Affine: false), new SoftmaxCrossEntropyLayer()));
        var groupNorm = new ReferenceNetwork<float>(Model(6, 2, 4, new GroupNormLayer(3, 1e-5), new SoftmaxCrossEntropyLayer()));

        Assert.Equal((24, 24), (layerNorm.Layers[0].WeightCount, layerNorm.Layers[0].BiasCount));
        Assert.Equal((3, 3), (affineInstanceNorm.Layers[0].WeightCount, affineInstanceNorm.Layers[0].BiasCount));
        Assert.Equal((0, 0), (plainInstanceNorm.Layers[0].WeightCount, plainInstanceNorm.Layers[0].BiasCount));
        Assert.Equal((6, 6), (groupNorm.Layers[0].WeightCount, groupNorm.Layers[0].BiasCount));
        Assert.Equal(0, layerNorm.StateCount + affineInstanceNorm.StateCount + plainInstanceNorm.StateCount + groupNorm.StateCount);
    }

    [Fact]
    public void InvalidGroupCountRejectedWithDivisors()
    {
        AssertInvalid(
            Model(12, 2, 2, new GroupNormLayer(5, 1e-5), new SoftmaxCrossEntropyLayer()),
            "Layer 0", "Groups must divide the 12 input channels, but is 5", "Valid group counts are 1, 2, 3, 4, 6, 12.");
        AssertInvalid(
            Model(7, 2, 2, new GroupNormLayer(0, 1e-5), new SoftmaxCrossEntropyLayer()),
            "Layer 0", "but is 0", "Valid group counts are 1, 7.");
    }

    [Fact]
    public void InstanceNormOnSingleValuePerChannelRejected()
    {
        AssertInvalid(
            Model(1, 1, 4, new DenseLayer(3), new InstanceNormLayer(1e-5, false), new SoftmaxCrossEntropyLayer()),
            "Layer 1", "more than 1 value per channel", "3x1x1");
    }

    [Fact]
    public void InvalidHyperparametersRejected()
    {
        AssertInvalid(Model(1, 1, 3, new LeakyReLULayer(double.NaN), new SoftmaxCrossEntropyLayer()), "Layer 0", "Slope must be a finite number");
        AssertInvalid(Model(1, 1, 3, new ELULayer(double.PositiveInfinity), new SoftmaxCrossEntropyLayer()), "Layer 0", "Alpha must be a finite number");
        AssertInvalid(Model(1, 1, 3, new SwishLayer(double.NaN), new SoftmaxCrossEntropyLayer()), "Layer 0", "Beta must be a finite number");
        AssertInvalid(Model(1, 1, 3, new GELULayer((GeluApproximation)7), new SoftmaxCrossEntropyLayer()), "Layer 0", "Approximation", "is 7");
        AssertInvalid(Model(1, 1, 3, new MulticlassHingeLayer(double.NaN)), "Layer 0", "Margin must be a finite number");
        AssertInvalid(Model(2, 1, 3, new BatchNormLayer(-1e-5, 0.1), new SoftmaxCrossEntropyLayer()), "Layer 0", "Epsilon must be a finite number of 0 or more");
        AssertInvalid(Model(2, 1, 3, new BatchNormLayer(1e-5, 1.5), new SoftmaxCrossEntropyLayer()), "Layer 0", "Momentum must be in [0, 1], but is 1.5");
        AssertInvalid(Model(2, 1, 3, new LayerNormLayer(double.NaN), new SoftmaxCrossEntropyLayer()), "Layer 0", "Epsilon");
    }

    [Fact]
    public void HingeLossAcceptedAsLastLayer()
    {
        var network = new ReferenceNetwork<float>(Model(1, 1, 4, new DenseLayer(3), new MulticlassHingeLayer(1.0)));

        Assert.Equal(3, network.OutputSize);
        Assert.Equal(new ReferenceShape(1, 1, 1), network.Layers[^1].OutputShape);
    }

    [Fact]
    public void HingeLossBeforeLastLayerRejected()
    {
        AssertInvalid(
            Model(1, 1, 4, new MulticlassHingeLayer(1.0), new DenseLayer(2), new SoftmaxCrossEntropyLayer()),
            "Layer 0 (MulticlassHingeLayer) must be the last layer", "2 layer(s) follow it");
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

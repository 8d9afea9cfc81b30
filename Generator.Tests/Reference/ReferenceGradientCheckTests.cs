using ModelCompiler.Reference;
using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

/// <summary>
/// Finite-difference checks of every parameter gradient and input gradient in double precision.
/// <see cref="GradientChecker"/> describes the step, the tolerance and how test points avoid kinks: every input of
/// ReLU, LeakyReLU, PReLU, ELU and SELU is at least <see cref="GradientChecker.KinkMargin"/> from 0, the two
/// largest values of every max-pooling window and maxout group differ by at least that much, and every hinge
/// term is at least that far from 0.
/// </summary>
public class ReferenceGradientCheckTests
{
    [Fact]
    public void ConvolutionStridedPadded()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 7, 7, new Conv2DLayer(3, 3, 2, 1), new DenseLayer(4), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 1);
    }

    [Fact]
    public void ConvolutionUnpaddedNonSquareInput()
    {
        GradientChecker.AssertGradientsMatch(
            Model(3, 6, 5, new Conv2DLayer(2, 2, 1, 0), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 2);
    }

    [Fact]
    public void ConvolutionAsLastLayer()
    {
        // The convolution's outputs are the logits, so the loss gradient enters it directly.
        GradientChecker.AssertGradientsMatch(
            Model(2, 5, 5, new Conv2DLayer(2, 3, 2, 0), new SoftmaxCrossEntropyLayer()),
            batchSize: 3,
            seed: 3);
    }

    [Fact]
    public void MaxPoolNonOverlapping()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 6, 6, new MaxPool2DLayer(2, 2), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 4);
    }

    [Fact]
    public void MaxPoolOverlapping()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 7, 7, new MaxPool2DLayer(3, 2), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 5);
    }

    [Fact]
    public void MaxPoolAfterConvolution()
    {
        // Size 3, stride 1 windows overlap heavily, so one convolution output often feeds several windows.
        GradientChecker.AssertGradientsMatch(
            Model(1, 6, 6, new Conv2DLayer(2, 3, 1, 1), new MaxPool2DLayer(3, 1), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 6);
    }

    [Fact]
    public void Dense()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 5, new DenseLayer(4), new SoftmaxCrossEntropyLayer()),
            batchSize: 3,
            seed: 7);
    }

    [Fact]
    public void DenseOnSpatialInput()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 3, 3, new DenseLayer(4), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 8);
    }

    [Fact]
    public void ReLUBetweenDenseLayers()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 6, new DenseLayer(5), new ReLULayer(), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 9);
    }

    [Fact]
    public void ReLUOnInput()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 6, new ReLULayer(), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 10);
    }

    [Fact]
    public void LossAlone()
    {
        GradientChecker.AssertGradientsMatch(Model(1, 1, 5, new SoftmaxCrossEntropyLayer()), batchSize: 3, seed: 11);
    }

    [Fact]
    public void SmallLeNetModel()
    {
        GradientChecker.AssertGradientsMatch(SmallLeNet(), batchSize: 2, seed: 12);
    }

    [Fact]
    public void ConvolutionRectangularDilated()
    {
        // Output 3x4x5: height (9 + 2 - 2 * 2 - 1) / 2 + 1 = 4, width (8 - 3 * 1 - 1) / 1 + 1 = 5.
        var convolution = new Conv2DLayer(3, 1, 1, 0)
        {
            KernelHeight = 3, KernelWidth = 2, StrideHeight = 2, StrideWidth = 1,
            PaddingHeight = 1, PaddingWidth = 0, DilationHeight = 2, DilationWidth = 3,
        };
        GradientChecker.AssertGradientsMatch(
            Model(2, 9, 8, convolution, new DenseLayer(3), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: 13);
    }

    [Fact]
    public void ConvolutionDilatedPaddedStrided()
    {
        // Padding 2 with dilation 2 makes some windows read only padding on one side.
        var convolution = new Conv2DLayer(2, 3, 2, 2) { DilationHeight = 2, DilationWidth = 2, StrideWidth = 1 };
        GradientChecker.AssertGradientsMatch(
            Model(2, 7, 6, convolution, new DenseLayer(3), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: 14);
    }

    [Fact]
    public void ConvolutionOneByOne()
    {
        GradientChecker.AssertGradientsMatch(
            Model(3, 4, 4, new Conv2DLayer(4, 1, 1, 0), new DenseLayer(3), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: 15);
    }

    [Fact]
    public void MaxPoolPaddedRectangular()
    {
        // Windows 3x2 with stride 2 and one cell of padding on every side. The padding is never the maximum.
        var pooling = new MaxPool2DLayer(2, 2) { KernelHeight = 3, PaddingHeight = 1, PaddingWidth = 1 };
        GradientChecker.AssertGradientsMatch(
            Model(2, 7, 6, pooling, new DenseLayer(3), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: 16);
    }

    [Fact]
    public void AvgPoolPaddedCountingPadding()
    {
        var pooling = new AvgPool2DLayer(3, 2) { KernelWidth = 2, PaddingHeight = 1, PaddingWidth = 1, CountIncludePadding = true };
        GradientChecker.AssertGradientsMatch(
            Model(2, 5, 6, pooling, new DenseLayer(3), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: 17);
    }

    [Fact]
    public void AvgPoolPaddedCountingInputCells()
    {
        var pooling = new AvgPool2DLayer(3, 2) { KernelWidth = 2, PaddingHeight = 1, PaddingWidth = 1, CountIncludePadding = false };
        GradientChecker.AssertGradientsMatch(
            Model(2, 5, 6, pooling, new DenseLayer(3), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: 18);
    }

    [Fact]
    public void AvgPoolOverlapping()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 5, 5, new Conv2DLayer(2, 2, 1, 0), new AvgPool2DLayer(2, 1), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: 19);
    }

    [Fact]
    public void GlobalAvgPool()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 4, 3, new Conv2DLayer(3, 3, 1, 1), new GlobalAvgPool2DLayer(), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: 20);
    }

    [Fact]
    public void Sigmoid()
    {
        AssertActivationGradients(new SigmoidLayer(), seed: 21);
    }

    [Fact]
    public void Tanh()
    {
        AssertActivationGradients(new TanhLayer(), seed: 22);
    }

    [Fact]
    public void LeakyReLU()
    {
        AssertActivationGradients(new LeakyReLULayer(0.15), seed: 23);
    }

    [Fact]
    public void PReLUPerChannel()
    {
        // The slope gradients are parameters, so they are checked with the rest. Each sums over batch and positions.
        GradientChecker.AssertGradientsMatch(
            Model(2, 4, 4, new Conv2DLayer(3, 3, 1, 1), new PReLULayer(Shared: false), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 24);
    }

    [Fact]
    public void PReLUShared()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 4, 4, new Conv2DLayer(3, 3, 1, 1), new PReLULayer(Shared: true), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 25);
    }

    [Fact]
    public void PReLUOnFlatInput()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 5, new DenseLayer(6), new PReLULayer(Shared: false), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 3,
            seed: 26);
    }

    [Fact]
    public void ELU()
    {
        // Alpha 0.7 makes the derivative jump at 0 (from 0.7 to 1), so the kink margin matters.
        AssertActivationGradients(new ELULayer(0.7), seed: 27);
    }

    [Fact]
    public void SELU()
    {
        AssertActivationGradients(new SELULayer(), seed: 28);
    }

    [Fact]
    public void SwishDefaultBeta()
    {
        AssertActivationGradients(new SwishLayer(1.0), seed: 29);
    }

    [Fact]
    public void SwishOtherBeta()
    {
        AssertActivationGradients(new SwishLayer(1.7), seed: 30);
    }

    [Fact]
    public void GELUExact()
    {
        AssertActivationGradients(new GELULayer(GeluApproximation.None), seed: 31);
    }

    [Fact]
    public void GELUTanh()
    {
        AssertActivationGradients(new GELULayer(GeluApproximation.Tanh), seed: 32);
    }

    [Fact]
    public void MaxoutSpatial()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 4, 4, new Conv2DLayer(6, 3, 1, 1), new MaxoutLayer(3), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 33);
    }

    [Fact]
    public void MaxoutFlatAsLastLayer()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 5, new DenseLayer(8), new MaxoutLayer(2), new SoftmaxCrossEntropyLayer()), batchSize: 3, seed: 34);
    }

    [Fact]
    public void MulticlassHinge()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 6, new DenseLayer(5), new TanhLayer(), new DenseLayer(4), new MulticlassHingeLayer(1.0)), batchSize: 4, seed: 35);
    }

    [Fact]
    public void MulticlassHingeOtherMargin()
    {
        GradientChecker.AssertGradientsMatch(Model(1, 1, 5, new MulticlassHingeLayer(0.4)), batchSize: 4, seed: 36);
    }

    [Fact]
    public void BatchNormTrainingSpatial()
    {
        // The input gradient and the convolution's gradients flow through the batch mean and variance.
        GradientChecker.AssertGradientsMatch(
            Model(2, 4, 4, new Conv2DLayer(3, 3, 1, 1), new BatchNormLayer(1e-5, 0.1), new TanhLayer(), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 37);
    }

    [Fact]
    public void BatchNormTrainingFlat()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 5, new DenseLayer(4), new BatchNormLayer(1e-3, 0.1), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 3,
            seed: 38);
    }

    [Fact]
    public void BatchNormEvaluationSpatial()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 4, 4, new Conv2DLayer(3, 3, 1, 1), new BatchNormLayer(1e-5, 0.1), new TanhLayer(), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 39,
            ReferenceMode.Evaluation);
    }

    [Fact]
    public void BatchNormEvaluationFlat()
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 5, new DenseLayer(4), new BatchNormLayer(1e-5, 0.1), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 1,
            seed: 40,
            ReferenceMode.Evaluation);
    }

    [Fact]
    public void LayerNorm()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 3, 3, new Conv2DLayer(2, 3, 1, 1), new LayerNormLayer(1e-5), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 41);
    }

    [Fact]
    public void InstanceNormAffine()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 3, 3, new Conv2DLayer(3, 3, 1, 1), new InstanceNormLayer(1e-5, Affine: true), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 42);
    }

    [Fact]
    public void InstanceNormWithoutAffine()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 3, 3, new InstanceNormLayer(1e-5, Affine: false), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 43);
    }

    [Fact]
    public void GroupNorm()
    {
        GradientChecker.AssertGradientsMatch(
            Model(2, 3, 3, new Conv2DLayer(6, 3, 1, 1), new GroupNormLayer(3, 1e-5), new DenseLayer(3), new SoftmaxCrossEntropyLayer()),
            batchSize: 2,
            seed: 44);
    }

    [Fact]
    public void CheckerDetectsWrongGradient()
    {
        // A gradient off by 1e-5 relative must fail, or the checks above could not catch small errors.
        double[] values = [0.3, -1.2];
        Func<double> loss = () => (values[0] * values[0]) + Math.Sin(values[1]);
        double[] exact = [2 * 0.3, Math.Cos(-1.2)];
        double[] wrong = [exact[0] * (1 + 1e-5), exact[1]];

        List<string> exactFailures = GradientChecker.CompareWithFiniteDifferences(values, exact, loss, i => $"value {i}");
        List<string> wrongFailures = GradientChecker.CompareWithFiniteDifferences(values, wrong, loss, i => $"value {i}");

        Assert.Empty(exactFailures);
        Assert.Single(wrongFailures);
        Assert.StartsWith("value 0:", wrongFailures[0], StringComparison.Ordinal);
    }

    /// <summary>
    /// Checks an element-wise activation twice: on a dense layer's output, and on a convolution's output so that
    /// the values cover a wider range. Inputs in [-1, 1] and unit-variance weights keep most values within [-3, 3].
    /// </summary>
    private static void AssertActivationGradients(LayerDescription activation, int seed)
    {
        GradientChecker.AssertGradientsMatch(
            Model(1, 1, 6, new DenseLayer(5), activation, new DenseLayer(3), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: seed);
        GradientChecker.AssertGradientsMatch(
            Model(2, 4, 4, new Conv2DLayer(2, 3, 1, 1), activation, new DenseLayer(3), new SoftmaxCrossEntropyLayer()), batchSize: 2, seed: seed + 100);
    }
}

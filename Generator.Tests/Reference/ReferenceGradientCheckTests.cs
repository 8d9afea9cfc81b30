using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

/// <summary>
/// Finite-difference checks of every parameter gradient and input gradient in double precision.
/// <see cref="GradientChecker"/> describes the step, the tolerance and how test points avoid kinks.
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
}

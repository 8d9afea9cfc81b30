using ModelCompiler.Reference;
using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

/// <summary>Forward passes and simple backward passes checked against values worked out by hand.</summary>
public class ReferenceForwardTests
{
    [Fact]
    public void ConvolutionPaddedStrided()
    {
        // Input 1x4x4 containing 1..16 row by row, kernel [[1, 2], [3, 4]], bias 0.5, padding 1, stride 2.
        // The output is 3x3: (4 - 2 + 2 * 1) / 2 + 1 = 3. Output (y, x) reads input rows 2y - 1 and 2y,
        // columns 2x - 1 and 2x, with zeros outside. For example (1, 1) = 1*6 + 2*7 + 3*10 + 4*11 + 0.5.
        var network = new ReferenceNetwork<double>(Model(1, 4, 4, new Conv2DLayer(1, 2, 2, 1), new SoftmaxCrossEntropyLayer()));
        double[] parameters = [1, 2, 3, 4, 0.5];
        double[] input = [.. Enumerable.Range(1, 16).Select(value => (double)value)];

        double[] logits = network.Forward(parameters, input, batchSize: 1);

        double[] expected =
        [
            4 * 1 + 0.5, 3 * 2 + 4 * 3 + 0.5, 3 * 4 + 0.5,
            2 * 5 + 4 * 9 + 0.5, 1 * 6 + 2 * 7 + 3 * 10 + 4 * 11 + 0.5, 1 * 8 + 3 * 12 + 0.5,
            2 * 13 + 0.5, 1 * 14 + 2 * 15 + 0.5, 1 * 16 + 0.5,
        ];
        Assert.Equal([4.5, 18.5, 12.5, 46.5, 94.5, 44.5, 26.5, 44.5, 16.5], expected);
        Assert.Equal(expected, logits);
    }

    [Fact]
    public void ConvolutionChannelAndFilterLayout()
    {
        // Input 2x1x1 = (10, 100), two 1x1 filters. OIHW weights are [filter 0: c0, c1, filter 1: c0, c1].
        var network = new ReferenceNetwork<double>(Model(2, 1, 1, new Conv2DLayer(2, 1, 1, 0), new SoftmaxCrossEntropyLayer()));
        double[] parameters = [1, 2, 3, 4, 0.5, -0.5];
        double[] input = [10, 100];

        double[] logits = network.Forward(parameters, input, batchSize: 1);

        Assert.Equal([(1 * 10) + (2 * 100) + 0.5, (3 * 10) + (4 * 100) - 0.5], logits);
    }

    [Fact]
    public void ConvolutionKernelNotFlipped()
    {
        // The kernel's only nonzero weight is its top-left corner, so cross-correlation returns the window's
        // top-left element (1). A flipped (true) convolution would return the bottom-right element (9).
        var network = new ReferenceNetwork<double>(Model(1, 3, 3, new Conv2DLayer(1, 3, 1, 0), new SoftmaxCrossEntropyLayer()));
        double[] parameters = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        double[] input = [1, 2, 3, 4, 5, 6, 7, 8, 9];

        double[] logits = network.Forward(parameters, input, batchSize: 1);

        Assert.Equal([1.0], logits);
    }

    [Fact]
    public void MaxPoolNonOverlapping()
    {
        var network = new ReferenceNetwork<double>(Model(1, 4, 4, new MaxPool2DLayer(2, 2), new SoftmaxCrossEntropyLayer()));
        double[] input =
        [
            1, 5, 2, 0,
            3, 4, 8, 7,
            6, 0, 1, 2,
            9, 2, 3, 4,
        ];

        double[] logits = network.Forward([], input, batchSize: 1);

        Assert.Equal([5, 8, 9, 4], logits);
    }

    [Fact]
    public void MaxPoolOverlapping()
    {
        // Size 3, stride 1 on 4x4 gives 2x2 windows that share their middle rows and columns.
        var network = new ReferenceNetwork<double>(Model(1, 4, 4, new MaxPool2DLayer(3, 1), new SoftmaxCrossEntropyLayer()));
        double[] input =
        [
            1, 5, 2, 0,
            3, 4, 8, 7,
            6, 0, 1, 2,
            9, 2, 3, 4,
        ];

        double[] logits = network.Forward([], input, batchSize: 1);

        Assert.Equal([8, 8, 9, 8], logits);
    }

    [Fact]
    public void MaxPoolPerChannel()
    {
        var network = new ReferenceNetwork<double>(Model(2, 2, 2, new MaxPool2DLayer(2, 2), new SoftmaxCrossEntropyLayer()));
        double[] input = [1, -2, 3, 0, -5, -1, -7, -3];

        double[] logits = network.Forward([], input, batchSize: 1);

        Assert.Equal([3, -1], logits);
    }

    [Fact]
    public void MaxPoolTieGoesToFirstMaximum()
    {
        // Input 1x2x4, windows of 2x2: the left window is all 3s, the right window has 7 at (0, 3) and
        // (1, 2). The gradient of each window goes to its first maximum in row-major order: (0, 0) and (0, 3).
        var network = new ReferenceNetwork<double>(Model(1, 2, 4, new MaxPool2DLayer(2, 2), new SoftmaxCrossEntropyLayer()));
        double[] input =
        [
            3, 3, 1, 7,
            3, 3, 7, 1,
        ];
        var parameterGradients = Array.Empty<double>();
        var inputGradients = new double[8];

        network.ComputeGradients([], input, [0], 1, parameterGradients, inputGradients);

        // Logits (3, 7) and label 0 give logit gradients (p0 - 1, p1) with p = softmax(3, 7).
        double p0 = 1 / (1 + Math.Exp(4));
        double p1 = 1 - p0;
        double[] expected =
        [
            p0 - 1, 0, 0, p1,
            0, 0, 0, 0,
        ];
        AssertClose(expected, inputGradients, 1e-15);
    }

    [Fact]
    public void MaxPoolOverlappingGradientsAdd()
    {
        // Input 1x2x4, window 2, stride 1: three windows over columns (0, 1), (1, 2) and (2, 3). The 9 at
        // (0, 1) is the maximum of the first two windows, so it receives the sum of their gradients.
        var network = new ReferenceNetwork<double>(Model(1, 2, 4, new MaxPool2DLayer(2, 1), new SoftmaxCrossEntropyLayer()));
        double[] input =
        [
            0, 9, 0, 5,
            0, 0, 0, 0,
        ];
        var inputGradients = new double[8];

        network.ComputeGradients([], input, [2], 1, [], inputGradients);

        // Logits (9, 9, 5) with label 2.
        double total = (2 * Math.Exp(9)) + Math.Exp(5);
        double p9 = Math.Exp(9) / total;
        double p5 = Math.Exp(5) / total;
        double[] expected =
        [
            0, 2 * p9, 0, p5 - 1,
            0, 0, 0, 0,
        ];
        AssertClose(expected, inputGradients, 1e-15);
    }

    [Fact]
    public void DenseAffineMap()
    {
        // Weights [[1, 2, 3], [4, 5, 6]] stored [out, in], biases (0.5, -1), input (1, -1, 2).
        var network = new ReferenceNetwork<double>(Model(1, 1, 3, new DenseLayer(2), new SoftmaxCrossEntropyLayer()));
        double[] parameters = [1, 2, 3, 4, 5, 6, 0.5, -1];
        double[] input = [1, -1, 2];

        double[] logits = network.Forward(parameters, input, batchSize: 1);

        Assert.Equal([1 - 2 + 6 + 0.5, 4 - 5 + 12 - 1.0], logits);
    }

    [Fact]
    public void DenseFlattensChannelRowColumn()
    {
        // Input 2x2x1: channel 0 contains (1, 2) and channel 1 contains (3, 4). A weight row picking the flat index 2
        // reads channel 1, row 0, which is 3.
        var network = new ReferenceNetwork<double>(Model(2, 2, 1, new DenseLayer(1), new SoftmaxCrossEntropyLayer()));
        double[] parameters = [0, 0, 1, 0, 0];
        double[] input = [1, 2, 3, 4];

        double[] logits = network.Forward(parameters, input, batchSize: 1);

        Assert.Equal([3.0], logits);
    }

    [Fact]
    public void ReLUForward()
    {
        var network = new ReferenceNetwork<double>(Model(1, 1, 5, new ReLULayer(), new SoftmaxCrossEntropyLayer()));
        double[] input = [-2, 0, 3, -0.5, 1e-300];

        double[] logits = network.Forward([], input, batchSize: 1);

        Assert.Equal([0, 0, 3, 0, 1e-300], logits);
    }

    [Fact]
    public void ReLUDerivativeAtZeroIsZero()
    {
        var network = new ReferenceNetwork<double>(Model(1, 1, 3, new ReLULayer(), new SoftmaxCrossEntropyLayer()));
        double[] input = [0, 1, -1];
        var inputGradients = new double[3];

        network.ComputeGradients([], input, [0], 1, [], inputGradients);

        // Logits (0, 1, 0) with label 0: only the positive input passes its gradient p1 through.
        double p1 = Math.E / (2 + Math.E);
        AssertClose([0, p1, 0], inputGradients, 1e-15);
    }

    [Fact]
    public void LossAndGradientMatchHandValues()
    {
        // Logits (0, ln 3) have softmax (1/4, 3/4). Label 0 costs ln 4 and label 1 costs ln(4/3).
        var network = new ReferenceNetwork<double>(Model(1, 1, 2, new SoftmaxCrossEntropyLayer()));
        double[] input = [0, Math.Log(3), 0, Math.Log(3)];
        int[] labels = [0, 1];
        var inputGradients = new double[4];

        double loss = network.ComputeGradients([], input, labels, 2, [], inputGradients);

        double expectedLoss = (Math.Log(4) + Math.Log(4.0 / 3.0)) / 2;
        Assert.Equal(expectedLoss, loss, 1e-15);
        Assert.Equal(expectedLoss, network.Loss([], input, labels, 2), 1e-15);

        // (softmax - onehot) / batchSize for each example.
        AssertClose([-3.0 / 8, 3.0 / 8, 1.0 / 8, -1.0 / 8], inputGradients, 1e-15);
    }

    [Fact]
    public void LossStableForLargeLogits()
    {
        // exp(1000) overflows double, so a loss without max subtraction would return infinity or NaN.
        var network = new ReferenceNetwork<double>(Model(1, 1, 2, new SoftmaxCrossEntropyLayer()));

        Assert.Equal(0.0, network.Loss([], [1000, 0], [0], 1), 1e-300);
        Assert.Equal(1000.0, network.Loss([], [1000, 0], [1], 1), 1e-12);

        // (-1000 + ln 2) - (-1000) loses the low bits of ln 2 to cancellation, about 1000 * eps = 2e-13.
        Assert.Equal(Math.Log(2), network.Loss([], [-1000, -1000], [1], 1), 1e-12);
    }

    [Fact]
    public void LossStableForLargeLogitsInFloat()
    {
        var network = new ReferenceNetwork<float>(Model(1, 1, 3, new SoftmaxCrossEntropyLayer()));
        var gradients = new float[3];

        float loss = network.ComputeGradients([], [200f, 100f, -50f], [1], 1, [], gradients);

        Assert.Equal(100f, loss, 1e-3f);
        Assert.All(gradients, value => Assert.True(float.IsFinite(value), $"gradient {value} is not finite"));
        Assert.Equal(1f, gradients[0], 1e-6f);
        Assert.Equal(-1f, gradients[1], 1e-6f);
    }

    [Fact]
    public void ForwardReturnsBatchOfLogits()
    {
        var network = new ReferenceNetwork<double>(Model(1, 1, 3, new DenseLayer(2), new SoftmaxCrossEntropyLayer()));
        double[] parameters = [1, 2, 3, 4, 5, 6, 0.5, -1];
        double[] input = [1, -1, 2, 0, 0, 1];

        double[] logits = network.Forward(parameters, input, batchSize: 2);

        Assert.Equal([5.5, 10, 3.5, 5], logits);
    }

    [Fact]
    public void LossOnlyModelForwardCopiesInput()
    {
        var network = new ReferenceNetwork<double>(Model(1, 1, 2, new SoftmaxCrossEntropyLayer()));
        double[] input = [0.25, -3];

        double[] logits = network.Forward([], input, batchSize: 1);

        Assert.Equal(input, logits);
        Assert.NotSame(input, logits);
    }

    [Fact]
    public void ConvolutionDilated()
    {
        // Input 1x4x4 containing 1..16 row by row, kernel [[1, 2], [3, 4]] with dilation 2. The taps of output (y, x)
        // read input (y, x), (y, x + 2), (y + 2, x) and (y + 2, x + 2). The output is 2x2: (4 - 2 * (2 - 1) - 1) / 1 + 1 = 2.
        var convolution = new Conv2DLayer(1, 2, 1, 0) { DilationHeight = 2, DilationWidth = 2 };
        var network = new ReferenceNetwork<double>(Model(1, 4, 4, convolution, new SoftmaxCrossEntropyLayer()));
        double[] parameters = [1, 2, 3, 4, 0];
        double[] input = [.. Enumerable.Range(1, 16).Select(value => (double)value)];

        double[] logits = network.Forward(parameters, input, batchSize: 1);

        double[] expected =
        [
            (1 * 1) + (2 * 3) + (3 * 9) + (4 * 11), (1 * 2) + (2 * 4) + (3 * 10) + (4 * 12),
            (1 * 5) + (2 * 7) + (3 * 13) + (4 * 15), (1 * 6) + (2 * 8) + (3 * 14) + (4 * 16),
        ];
        Assert.Equal([78, 88, 118, 128], expected);
        Assert.Equal(expected, logits);
    }

    [Fact]
    public void ConvolutionRectangularDilatedPadded()
    {
        // Input 1x2x3 = [[1, 2, 3], [4, 5, 6]], a 1x3 kernel (10, 100, 1000) with PaddingWidth 1 and DilationWidth 2:
        // output width (3 + 2 - 2 * 2 - 1) / 1 + 1 = 1. Its taps read columns -1, 1 and 3, so only the middle tap
        // lands inside the input and each row's output is 100 * x[row, 1] + bias.
        var convolution = new Conv2DLayer(1, 1, 1, 0) { KernelWidth = 3, PaddingWidth = 1, DilationWidth = 2 };
        var network = new ReferenceNetwork<double>(Model(1, 2, 3, convolution, new SoftmaxCrossEntropyLayer()));

        double[] logits = network.Forward([10, 100, 1000, 0.5], [1, 2, 3, 4, 5, 6], batchSize: 1);

        Assert.Equal([200.5, 500.5], logits);
    }

    [Fact]
    public void ConvolutionRectangularStrided()
    {
        // Input 1x3x4 containing 1..12, a 2x1 kernel (1, -1) with StrideHeight 1 and StrideWidth 3: outputs
        // x[y, x] - x[y + 1, x] for x in {0, 3}, which is -4 everywhere, plus bias 1.
        var convolution = new Conv2DLayer(1, 1, 1, 0) { KernelHeight = 2, StrideWidth = 3 };
        var network = new ReferenceNetwork<double>(Model(1, 3, 4, convolution, new SoftmaxCrossEntropyLayer()));
        double[] input = [.. Enumerable.Range(1, 12).Select(value => (double)value)];

        double[] logits = network.Forward([1, -1, 1], input, batchSize: 1);

        Assert.Equal(new ReferenceShape(1, 2, 2), network.Layers[0].OutputShape);
        Assert.Equal([-3, -3, -3, -3], logits);
    }

    [Fact]
    public void MaxPoolPaddingIsNegativeInfinity()
    {
        // Input 1x2x2 = [[-5, -3], [-4, -6]], window 2, stride 1, padding 1: output 3x3. All inputs are negative,
        // so zero padding would make several outputs 0. With padding at negative infinity each output is the
        // largest input cell of its window.
        var pooling = new MaxPool2DLayer(2, 1) { PaddingHeight = 1, PaddingWidth = 1 };
        var network = new ReferenceNetwork<double>(Model(1, 2, 2, pooling, new SoftmaxCrossEntropyLayer()));

        double[] logits = network.Forward([], [-5, -3, -4, -6], batchSize: 1);

        Assert.Equal([-5, -3, -3, -4, -3, -3, -4, -4, -6], logits);
    }

    [Fact]
    public void MaxPoolPaddedGradientGoesToInputCell()
    {
        // Input 1x1x2 = (-1, -1), window 1x2 with PaddingWidth 1 and StrideWidth 2: windows cover columns (-1, 0)
        // and (1, 2). Each window's gradient goes to its only input cell, never to padding.
        var pooling = new MaxPool2DLayer(1, 1) { KernelWidth = 2, StrideWidth = 2, PaddingWidth = 1 };
        var network = new ReferenceNetwork<double>(Model(1, 1, 2, pooling, new SoftmaxCrossEntropyLayer()));
        var inputGradients = new double[2];

        network.ComputeGradients([], [-1, -1], [0], 1, [], inputGradients);

        // Logits (-1, -1) with label 0: gradients (0.5 - 1, 0.5).
        AssertClose([-0.5, 0.5], inputGradients, 1e-15);
    }

    [Fact]
    public void AvgPoolPaddedCountingPadding()
    {
        // Input 1x4x4 containing 1..16, window 2, stride 2, padding 1: output (4 + 2 - 2) / 2 + 1 = 3 per side.
        // Window rows are (-1, 0), (1, 2) and (3, 4), and columns likewise. So the corner windows contain 1 input
        // cell, the edge windows 2 and the center window 4. Row by row, the sums are 1, 2 + 3, 4, then 5 + 9,
        // 6 + 7 + 10 + 11, 8 + 12, then 13, 14 + 15, 16. Every sum is divided by the window area 4.
        var pooling = new AvgPool2DLayer(2, 2) { PaddingHeight = 1, PaddingWidth = 1, CountIncludePadding = true };
        var network = new ReferenceNetwork<double>(Model(1, 4, 4, pooling, new SoftmaxCrossEntropyLayer()));
        double[] input = [.. Enumerable.Range(1, 16).Select(value => (double)value)];

        double[] logits = network.Forward([], input, batchSize: 1);

        Assert.Equal([1 / 4.0, 5 / 4.0, 4 / 4.0, 14 / 4.0, 34 / 4.0, 20 / 4.0, 13 / 4.0, 29 / 4.0, 16 / 4.0], logits);
    }

    [Fact]
    public void AvgPoolPaddedCountingInputCells()
    {
        // The same windows as above, each sum divided by its number of input cells: row by row 1, 2, 1, then 2, 4, 2,
        // then 1, 2, 1.
        var pooling = new AvgPool2DLayer(2, 2) { PaddingHeight = 1, PaddingWidth = 1, CountIncludePadding = false };
        var network = new ReferenceNetwork<double>(Model(1, 4, 4, pooling, new SoftmaxCrossEntropyLayer()));
        double[] input = [.. Enumerable.Range(1, 16).Select(value => (double)value)];

        double[] logits = network.Forward([], input, batchSize: 1);

        Assert.Equal([1, 5 / 2.0, 4, 14 / 2.0, 34 / 4.0, 20 / 2.0, 13, 29 / 2.0, 16], logits);
    }

    [Fact]
    public void AvgPoolPaddedBackwardUsesDivisor()
    {
        // Input 1x1x2, window 1x2, StrideWidth 2, PaddingWidth 1: one window over columns (-1, 0) and one over (1, 2).
        // Each input cell receives its window's gradient divided by 2 (padding counted) or by 1 (input cells only).
        var counting = new AvgPool2DLayer(1, 1) { KernelWidth = 2, StrideWidth = 2, PaddingWidth = 1, CountIncludePadding = true };
        var excluding = counting with { CountIncludePadding = false };
        var countingGradients = new double[2];
        var excludingGradients = new double[2];

        new ReferenceNetwork<double>(Model(1, 1, 2, counting, new SoftmaxCrossEntropyLayer()))
            .ComputeGradients([], [0.5, 0.5], [0], 1, [], countingGradients);
        new ReferenceNetwork<double>(Model(1, 1, 2, excluding, new SoftmaxCrossEntropyLayer()))
            .ComputeGradients([], [0.5, 0.5], [0], 1, [], excludingGradients);

        // Both models produce two equal logits, so the logit gradients are (-0.5, 0.5) for label 0.
        AssertClose([-0.25, 0.25], countingGradients, 1e-15);
        AssertClose([-0.5, 0.5], excludingGradients, 1e-15);
    }

    [Fact]
    public void GlobalAvgPoolForward()
    {
        // Input 2x2x2: channel 0 contains (1, 2, 3, 6), channel 1 contains (-1, -1, 5, 1).
        var network = new ReferenceNetwork<double>(Model(2, 2, 2, new GlobalAvgPool2DLayer(), new SoftmaxCrossEntropyLayer()));

        double[] logits = network.Forward([], [1, 2, 3, 6, -1, -1, 5, 1], batchSize: 1);

        Assert.Equal([3.0, 1.0], logits);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"Element {i}: expected {expected[i]:R}, actual {actual[i]:R}, tolerance {tolerance:G3}.");
        }
    }
}

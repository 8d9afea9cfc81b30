using ModelCompiler.Reference;
using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

/// <summary>
/// Activation values fixed by their definitions or by PyTorch, and numerical behavior at extreme inputs.
/// Expected values marked "mpmath" were computed with mpmath 1.3.0 at 50 significant digits and rounded to double.
/// </summary>
public class ReferenceActivationTests
{
    [Fact]
    public void SELUConstants()
    {
        // PyTorch's SELU constants, as printed in its documentation.
        Assert.Equal(1.6732632423543772, SELULayer.Alpha);
        Assert.Equal(1.0507009873554805, SELULayer.Scale);
    }

    [Fact]
    public void SELUValues()
    {
        // mpmath: SELU(-1) = Scale * Alpha * (exp(-1) - 1) and SELU(-1e-8) = Scale * Alpha * expm1(-1e-8).
        double[] output = Activate(new SELULayer(), [1, -1, -1e-8, 0, 2.5]);

        Assert.Equal(SELULayer.Scale, output[0]);
        AssertRelative(-1.1113307378125628, output[1], 1e-15);
        AssertRelative(-1.7580993320568802e-08, output[2], 1e-15);
        Assert.Equal(0.0, output[3]);
        Assert.Equal(SELULayer.Scale * 2.5, output[4]);
    }

    [Fact]
    public void LeakyReLUDefaultSlope()
    {
        double slope = new LeakyReLUAttribute().Slope;

        double[] output = Activate(new LeakyReLULayer(slope), [-2, 3, 0, -0.5]);

        Assert.Equal(0.01, slope);
        Assert.Equal([-2 * 0.01, 3, 0, -0.5 * 0.01], output);
    }

    [Fact]
    public void LeakyReLUDerivativeAtZeroIsSlope()
    {
        // As in PyTorch, x = 0 takes the negative branch, so its derivative is the slope.
        double[] input = [0, 1, -1];

        double[] gradients = InputGradients(new LeakyReLULayer(0.2), input, label: 0);

        double[] logitGradients = SoftmaxGradients(Activate(new LeakyReLULayer(0.2), input), label: 0);
        AssertClose([0.2 * logitGradients[0], logitGradients[1], 0.2 * logitGradients[2]], gradients, 1e-15);
    }

    [Fact]
    public void ELUValuesNearZero()
    {
        // mpmath: expm1(-1e-10), expm1(-1e-5) and expm1(-0.3). exp(x) - 1 computed directly would be off by about
        // 1e-7 relative at -1e-10.
        double[] output = Activate(new ELULayer(1.0), [-1e-10, -1e-5, -0.3, 0.7]);

        AssertRelative(-9.9999999995e-11, output[0], 1e-15);
        AssertRelative(-9.999950000166666e-06, output[1], 1e-15);
        AssertRelative(-0.2591817793182821, output[2], 1e-15);
        Assert.Equal(0.7, output[3]);
    }

    [Fact]
    public void ELUNearZeroInFloat()
    {
        var network = new ReferenceNetwork<float>(Model(1, 1, 2, new ELULayer(1.0), new SoftmaxCrossEntropyLayer()));

        float[] output = network.Forward([], [-1e-5f, -1e-7f], batchSize: 1);

        // Float keeps about 7 digits: expm1(-1e-5) = -9.99995e-6 and expm1(-1e-7) = -9.9999995e-8. The direct
        // exp(x) - 1 in float is off by about 5% at -1e-7.
        AssertRelative(-9.99995e-6, output[0], 3e-7);
        AssertRelative(-9.9999995e-8, output[1], 3e-7);
    }

    [Fact]
    public void ELUAlphaScalesNegativeBranch()
    {
        double[] output = Activate(new ELULayer(0.5), [-2, 2]);

        Assert.Equal(0.5 * (Math.Exp(-2) - 1), output[0], 1e-15);
        Assert.Equal(2.0, output[1]);
    }

    [Fact]
    public void GELUExactKnownValues()
    {
        // mpmath: x * (1 + erf(x / sqrt(2))) / 2.
        (double X, double Expected)[] cases =
        [
            (-37.1, -5.2114813950124085e-300),
            (-12.9, -2.9031268025054318e-37),
            (-10, -7.619853024160526e-23),
            (-7.3, -1.050352205855039e-12),
            (-5, -1.4332578593959695e-06),
            (-3, -0.0040496940948902835),
            (-1, -0.15865525393145705),
            (-0.5, -0.15426876936299344),
            (0.5, 0.34573123063700656),
            (1, 0.8413447460685429),
            (2, 1.9544997361036416),
            (3, 2.99595030590511),
        ];
        double[] output = Activate(new GELULayer(GeluApproximation.None), [.. cases.Select(row => row.X)]);

        for (int i = 0; i < cases.Length; i++)
        {
            AssertRelative(cases[i].Expected, output[i], 1e-15);
        }
    }

    [Fact]
    public void GELUTanhKnownValues()
    {
        // mpmath: x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3))) / 2. GELU(1) rounds to 0.8411919906082767;
        // the formula evaluated in double gives 0.8411919906082768, one ulp away.
        (double X, double Expected)[] cases =
        [
            (-10, -1.2040923482098107e-37),
            (-5, -2.291796196629506e-07),
            (-3, -0.003637392081773019),
            (-1, -0.1588080093917233),
            (-0.5, -0.15428599017485609),
            (0.5, 0.34571400982514394),
            (1, 0.8411919906082767),
            (2, 1.954597694087775),
            (3, 2.996362607918227),
        ];
        double[] output = Activate(new GELULayer(GeluApproximation.Tanh), [.. cases.Select(row => row.X)]);

        for (int i = 0; i < cases.Length; i++)
        {
            // Away from the tail this is a few ulps. At -10 the value depends on exp(-2u) with u about -800.
            double tolerance = Math.Abs(cases[i].X) >= 5 ? 1e-12 : 1e-15;
            AssertRelative(cases[i].Expected, output[i], tolerance);
        }
    }

    [Fact]
    public void GELUFormsDifferSlightly()
    {
        double[] grid = [.. Enumerable.Range(-1000, 2001).Select(i => i / 100.0)];
        double[] exact = Activate(new GELULayer(GeluApproximation.None), grid);
        double[] tanh = Activate(new GELULayer(GeluApproximation.Tanh), grid);

        double largestDifference = exact.Zip(tanh, (a, b) => Math.Abs(a - b)).Max();

        // mpmath: the largest difference on this grid is 4.73e-4, at x = ±2.7, and the difference at x = 1 is
        // 1.5275546026624382e-4.
        Assert.True(largestDifference < 5e-4, $"largest difference {largestDifference:R}");
        Assert.True(largestDifference > 4.7e-4, $"largest difference {largestDifference:R}");
        int indexOfOne = Array.IndexOf(grid, 1.0);
        Assert.Equal(1.5275546026624382e-4, exact[indexOfOne] - tanh[indexOfOne], 1e-15);
    }

    [Fact]
    public void GELUDerivativesAtZeroAreOneHalf()
    {
        // Both forms have derivative Phi(0) = 0.5 at 0, so the input gradient is half the logit gradient.
        double[] input = [0, 1];
        foreach (GeluApproximation approximation in new[] { GeluApproximation.None, GeluApproximation.Tanh })
        {
            var gelu = new GELULayer(approximation);

            double[] gradients = InputGradients(gelu, input, label: 1);

            double[] logitGradients = SoftmaxGradients(Activate(gelu, input), label: 1);
            Assert.Equal(0.5 * logitGradients[0], gradients[0], 1e-16);
        }
    }

    [Fact]
    public void GELUInFloatRoundsDoubleValue()
    {
        var network = new ReferenceNetwork<float>(Model(1, 1, 3, new GELULayer(GeluApproximation.None), new SoftmaxCrossEntropyLayer()));

        float[] output = network.Forward([], [1f, -1f, 0.5f], batchSize: 1);

        Assert.Equal((float)0.8413447460685429, output[0]);
        Assert.Equal((float)-0.15865525393145705, output[1]);
        Assert.Equal((float)0.34573123063700656, output[2]);
    }

    [Fact]
    public void SigmoidSaturatesWithoutNaN()
    {
        // mpmath: sigmoid(30) = 0.9999999999999064 and sigmoid(-30) = 9.357622968839299e-14.
        double[] output = Activate(new SigmoidLayer(), [1000, -1000, 30, -30, 0]);

        Assert.Equal(1.0, output[0]);
        Assert.Equal(0.0, output[1]);
        AssertRelative(0.9999999999999064, output[2], 1e-15);
        AssertRelative(9.357622968839299e-14, output[3], 1e-14);
        Assert.Equal(0.5, output[4]);
    }

    [Fact]
    public void SigmoidSaturatesInFloat()
    {
        var network = new ReferenceNetwork<float>(Model(1, 1, 2, new SigmoidLayer(), new SoftmaxCrossEntropyLayer()));

        float[] output = network.Forward([], [1000f, -1000f], batchSize: 1);

        Assert.Equal([1f, 0f], output);
    }

    [Fact]
    public void SwishValues()
    {
        // mpmath: 1 * sigmoid(2 * 1) and -1.5 * sigmoid(-1.5).
        double[] beta2 = Activate(new SwishLayer(2.0), [1]);
        double[] beta1 = Activate(new SwishLayer(1.0), [-1.5]);

        AssertRelative(0.8807970779778824, beta2[0], 1e-15);
        AssertRelative(-0.2736382857095345, beta1[0], 1e-15);
    }

    [Fact]
    public void TanhValues()
    {
        double[] output = Activate(new TanhLayer(), [0.5, -2, 1000]);

        Assert.Equal([Math.Tanh(0.5), Math.Tanh(-2), 1.0], output);
    }

    [Fact]
    public void ActivationsFiniteAtLargeInputs()
    {
        // Each activation gets inputs of ±1000, in double and in float. Sigmoid, Swish and GELU evaluate exp at large
        // arguments and Tanh's derivative evaluates cosh, so a naive form would overflow to infinity or NaN.
        LayerDescription[] activations =
        [
            new SigmoidLayer(), new TanhLayer(), new LeakyReLULayer(0.01), new PReLULayer(Shared: false), new ELULayer(1.0),
            new SELULayer(), new SwishLayer(1.0), new SwishLayer(3.0), new GELULayer(GeluApproximation.None),
            new GELULayer(GeluApproximation.Tanh),
        ];
        foreach (LayerDescription activation in activations)
        {
            var network = new ReferenceNetwork<double>(Model(2, 1, 1, activation, new SoftmaxCrossEntropyLayer()));
            var floatNetwork = new ReferenceNetwork<float>(Model(2, 1, 1, activation, new SoftmaxCrossEntropyLayer()));
            double[] parameters = [.. Enumerable.Repeat(0.25, network.ParameterCount)];
            float[] floatParameters = [.. Enumerable.Repeat(0.25f, network.ParameterCount)];
            var parameterGradients = new double[network.ParameterCount];
            var floatParameterGradients = new float[network.ParameterCount];
            var inputGradients = new double[2];
            var floatInputGradients = new float[2];

            double[] output = network.Forward(parameters, [1000, -1000], batchSize: 1);
            network.ComputeGradients(parameters, [1000, -1000], [1], 1, parameterGradients, inputGradients);
            float[] floatOutput = floatNetwork.Forward(floatParameters, [1000f, -1000f], batchSize: 1);
            floatNetwork.ComputeGradients(floatParameters, [1000f, -1000f], [1], 1, floatParameterGradients, floatInputGradients);

            string name = activation.ToString();
            Assert.True(output.All(double.IsFinite), $"{name} output {string.Join(", ", output)}");
            Assert.True(inputGradients.All(double.IsFinite), $"{name} input gradients {string.Join(", ", inputGradients)}");
            Assert.True(parameterGradients.All(double.IsFinite), $"{name} parameter gradients {string.Join(", ", parameterGradients)}");
            Assert.True(floatOutput.All(float.IsFinite), $"{name} float output {string.Join(", ", floatOutput)}");
            Assert.True(floatInputGradients.All(float.IsFinite), $"{name} float input gradients {string.Join(", ", floatInputGradients)}");
        }
    }

    [Fact]
    public void PReLUPerChannelForward()
    {
        // Input 2x1x2: channel 0 contains (-2, 3) with slope 0.1, channel 1 contains (-4, 1) with slope 0.5.
        var network = new ReferenceNetwork<double>(Model(2, 1, 2, new PReLULayer(Shared: false), new SoftmaxCrossEntropyLayer()));

        double[] output = network.Forward([0.1, 0.5], [-2, 3, -4, 1], batchSize: 1);

        Assert.Equal([-0.2, 3, -2, 1], output);
    }

    [Fact]
    public void PReLUSharedForward()
    {
        var network = new ReferenceNetwork<double>(Model(2, 1, 2, new PReLULayer(Shared: true), new SoftmaxCrossEntropyLayer()));

        double[] output = network.Forward([0.25], [-2, 3, -4, 1], batchSize: 1);

        Assert.Equal([-0.5, 3, -1, 1], output);
    }

    [Fact]
    public void PReLUSlopeGradientSumsNegativeInputs()
    {
        // Two examples of 2x1x2. The slope gradient of channel c is the sum over examples and positions with
        // x <= 0 of (logit gradient) * x, and positive inputs contribute nothing.
        var network = new ReferenceNetwork<double>(Model(2, 1, 2, new PReLULayer(Shared: false), new SoftmaxCrossEntropyLayer()));
        double[] slopes = [0.1, 0.5];
        double[] input = [-2, 3, -4, 1, 0.5, -1, -3, -0.5];
        int[] labels = [1, 2];
        var slopeGradients = new double[2];

        network.ComputeGradients(slopes, input, labels, 2, slopeGradients);

        double[] logits = network.Forward(slopes, input, batchSize: 2);
        double[] first = [.. SoftmaxGradients(logits[..4], labels[0]).Select(value => value / 2)];
        double[] second = [.. SoftmaxGradients(logits[4..], labels[1]).Select(value => value / 2)];
        double expectedChannel0 = (first[0] * -2) + (second[1] * -1);
        double expectedChannel1 = (first[2] * -4) + (second[2] * -3) + (second[3] * -0.5);
        Assert.Equal(expectedChannel0, slopeGradients[0], 1e-15);
        Assert.Equal(expectedChannel1, slopeGradients[1], 1e-15);
    }

    [Fact]
    public void MaxoutForward()
    {
        // Input 4x1x2 with Pieces 2: output channel 0 is the maximum of channels 0 (1, 5) and 1 (3, 2), output
        // channel 1 the maximum of channels 2 (-1, -1) and 3 (-2, 0).
        var network = new ReferenceNetwork<double>(Model(4, 1, 2, new MaxoutLayer(2), new SoftmaxCrossEntropyLayer()));

        double[] output = network.Forward([], [1, 5, 3, 2, -1, -1, -2, 0], batchSize: 1);

        Assert.Equal([3, 5, -1, 0], output);
    }

    [Fact]
    public void MaxoutThreePiecesOnFlatInput()
    {
        // Input 6x1x1 with Pieces 3: groups (4, 9, 1) and (-3, -7, -5).
        var network = new ReferenceNetwork<double>(Model(6, 1, 1, new MaxoutLayer(3), new SoftmaxCrossEntropyLayer()));

        double[] output = network.Forward([], [4, 9, 1, -3, -7, -5], batchSize: 1);

        Assert.Equal([9, -3], output);
    }

    [Fact]
    public void MaxoutTieGoesToFirstMaximum()
    {
        // Input 4x1x1 with Pieces 2: group 0 is the tie (2, 2) and group 1 is (0, 1). The gradient of group 0 goes
        // to channel 0, the first maximum, and that of group 1 to channel 3.
        var network = new ReferenceNetwork<double>(Model(4, 1, 1, new MaxoutLayer(2), new SoftmaxCrossEntropyLayer()));
        var inputGradients = new double[4];

        network.ComputeGradients([], [2, 2, 0, 1], [1], 1, [], inputGradients);

        double[] logitGradients = SoftmaxGradients([2, 1], label: 1);
        AssertClose([logitGradients[0], 0, 0, logitGradients[1]], inputGradients, 1e-15);
    }

    /// <summary>Returns the activation of each value, run as a 1x1xN example through a network that ends in the loss.</summary>
    private static double[] Activate(LayerDescription activation, double[] values)
    {
        var network = new ReferenceNetwork<double>(Model(1, 1, values.Length, activation, new SoftmaxCrossEntropyLayer()));
        return network.Forward([], values, batchSize: 1);
    }

    /// <summary>Returns the input gradient of a 1x1xN example through the activation and the softmax cross-entropy loss.</summary>
    private static double[] InputGradients(LayerDescription activation, double[] values, int label)
    {
        var network = new ReferenceNetwork<double>(Model(1, 1, values.Length, activation, new SoftmaxCrossEntropyLayer()));
        var gradients = new double[values.Length];
        network.ComputeGradients([], values, [label], 1, [], gradients);
        return gradients;
    }

    /// <summary>Returns softmax(logits) - onehot(label) for one example.</summary>
    private static double[] SoftmaxGradients(double[] logits, int label)
    {
        double maximum = logits.Max();
        double[] exponentials = [.. logits.Select(value => Math.Exp(value - maximum))];
        double total = exponentials.Sum();
        return [.. exponentials.Select((value, j) => (value / total) - (j == label ? 1.0 : 0.0))];
    }

    private static void AssertRelative(double expected, double actual, double tolerance)
    {
        double difference = Math.Abs(expected - actual);
        Assert.True(
            difference <= tolerance * Math.Abs(expected),
            $"expected {expected:R}, actual {actual:R}, relative difference {difference / Math.Abs(expected):G3}, tolerance {tolerance:G3}");
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

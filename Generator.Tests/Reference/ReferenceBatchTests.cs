using ModelCompiler.Reference;
using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

/// <summary>Batch handling, buffer overwriting and agreement between float and double.</summary>
public class ReferenceBatchTests
{
    [Fact]
    public void BatchGradientsAverageExamples()
    {
        const int batchSize = 3;
        var network = new ReferenceNetwork<double>(SmallLeNet());
        ReferencePoint point = ReferencePoint.Random(network, batchSize, seed: 20);
        int inputSize = network.InputSize;

        var batchParameterGradients = new double[network.ParameterCount];
        var batchInputGradients = new double[batchSize * inputSize];
        double batchLoss = network.ComputeGradients(
            point.Parameters, point.Input, point.Labels, batchSize, batchParameterGradients, batchInputGradients);

        var meanParameterGradients = new double[network.ParameterCount];
        double meanLoss = 0;
        for (int n = 0; n < batchSize; n++)
        {
            var exampleParameterGradients = new double[network.ParameterCount];
            var exampleInputGradients = new double[inputSize];
            double[] exampleInput = point.Input[(n * inputSize)..((n + 1) * inputSize)];
            double exampleLoss = network.ComputeGradients(
                point.Parameters, exampleInput, [point.Labels[n]], 1, exampleParameterGradients, exampleInputGradients);

            meanLoss += exampleLoss / batchSize;
            for (int i = 0; i < meanParameterGradients.Length; i++)
            {
                meanParameterGradients[i] += exampleParameterGradients[i] / batchSize;
            }

            // The mean over the batch scales each example's input gradient by 1 / batchSize.
            double[] expectedInputGradients = [.. exampleInputGradients.Select(value => value / batchSize)];
            AssertClose(expectedInputGradients, batchInputGradients[(n * inputSize)..((n + 1) * inputSize)], $"input gradient of example {n}");
        }

        Assert.Equal(meanLoss, batchLoss, 1e-14);
        AssertClose(meanParameterGradients, batchParameterGradients, "parameter gradient");
    }

    [Fact]
    public void BatchLogitsMatchSingleExamples()
    {
        const int batchSize = 3;
        var network = new ReferenceNetwork<double>(SmallLeNet());
        ReferencePoint point = ReferencePoint.Random(network, batchSize, seed: 21);
        int inputSize = network.InputSize;
        int outputSize = network.OutputSize;

        double[] batchLogits = network.Forward(point.Parameters, point.Input, batchSize);

        for (int n = 0; n < batchSize; n++)
        {
            double[] exampleLogits = network.Forward(point.Parameters, point.Input[(n * inputSize)..((n + 1) * inputSize)], 1);
            Assert.Equal(exampleLogits, batchLogits[(n * outputSize)..((n + 1) * outputSize)]);
        }
    }

    [Fact]
    public void ComputeGradientsOverwritesBuffers()
    {
        var network = new ReferenceNetwork<double>(SmallLeNet());
        ReferencePoint point = ReferencePoint.Random(network, 2, seed: 22);
        var cleanParameterGradients = new double[network.ParameterCount];
        var cleanInputGradients = new double[2 * network.InputSize];
        network.ComputeGradients(point.Parameters, point.Input, point.Labels, 2, cleanParameterGradients, cleanInputGradients);

        double[] dirtyParameterGradients = [.. Enumerable.Repeat(double.NaN, network.ParameterCount)];
        double[] dirtyInputGradients = [.. Enumerable.Repeat(123.0, 2 * network.InputSize)];
        network.ComputeGradients(point.Parameters, point.Input, point.Labels, 2, dirtyParameterGradients, dirtyInputGradients);

        Assert.Equal(cleanParameterGradients, dirtyParameterGradients);
        Assert.Equal(cleanInputGradients, dirtyInputGradients);
    }

    [Fact]
    public void InputGradientsAreOptional()
    {
        var network = new ReferenceNetwork<double>(SmallLeNet());
        ReferencePoint point = ReferencePoint.Random(network, 2, seed: 23);
        var withInput = new double[network.ParameterCount];
        var withoutInput = new double[network.ParameterCount];

        double lossWithInput = network.ComputeGradients(
            point.Parameters, point.Input, point.Labels, 2, withInput, new double[2 * network.InputSize]);
        double lossWithoutInput = network.ComputeGradients(point.Parameters, point.Input, point.Labels, 2, withoutInput);

        Assert.Equal(lossWithInput, lossWithoutInput);
        Assert.Equal(withInput, withoutInput);
    }

    [Fact]
    public void LossMatchesComputeGradients()
    {
        var network = new ReferenceNetwork<double>(SmallLeNet());
        ReferencePoint point = ReferencePoint.Random(network, 4, seed: 24);

        double loss = network.Loss(point.Parameters, point.Input, point.Labels, 4);
        double lossFromGradients = network.ComputeGradients(
            point.Parameters, point.Input, point.Labels, 4, new double[network.ParameterCount]);

        Assert.Equal(loss, lossFromGradients);
    }

    [Fact]
    public void FloatMatchesDoubleOnLeNet()
    {
        // Float keeps about 7 significant digits and LeNet sums up to 400 products per output, so we estimate
        // that the two precisions agree to about 1e-5 relative. A bound of 1e-3 of the largest value leaves margin.
        const int batchSize = 4;
        var doubleNetwork = new ReferenceNetwork<double>(LeNet());
        var floatNetwork = new ReferenceNetwork<float>(LeNet());
        ReferencePoint point = ReferencePoint.Random(doubleNetwork, batchSize, seed: 25);
        float[] floatParameters = [.. point.Parameters.Select(value => (float)value)];
        float[] floatInput = [.. point.Input.Select(value => (float)value)];

        var doubleGradients = new double[doubleNetwork.ParameterCount];
        var floatGradients = new float[floatNetwork.ParameterCount];
        double doubleLoss = doubleNetwork.ComputeGradients(point.Parameters, point.Input, point.Labels, batchSize, doubleGradients);
        float floatLoss = floatNetwork.ComputeGradients(floatParameters, floatInput, point.Labels, batchSize, floatGradients);
        double[] doubleLogits = doubleNetwork.Forward(point.Parameters, point.Input, batchSize);
        float[] floatLogits = floatNetwork.Forward(floatParameters, floatInput, batchSize);

        Assert.Equal(doubleLoss, floatLoss, 1e-4);
        AssertCloseToScale(doubleLogits, floatLogits, "logit");
        AssertCloseToScale(doubleGradients, floatGradients, "parameter gradient");
    }

    [Fact]
    public void FloatMatchesDoubleOnNewLayers()
    {
        // A model with most of the newer layer kinds. As above, float and double should agree to about 1e-5 of
        // the largest value, and 1e-3 leaves margin. The running statistics are compared in the same way.
        const int batchSize = 3;
        ModelDescription description = Model(
            2, 6, 6,
            new Conv2DLayer(4, 3, 1, 1) { DilationWidth = 2, PaddingWidth = 2 },
            new BatchNormLayer(1e-5, 0.1),
            new GELULayer(GeluApproximation.None),
            new AvgPool2DLayer(2, 2) { PaddingHeight = 1, PaddingWidth = 1, CountIncludePadding = false },
            new GroupNormLayer(2, 1e-5),
            new SwishLayer(1.0),
            new DenseLayer(8),
            new PReLULayer(Shared: false),
            new LayerNormLayer(1e-5),
            new DenseLayer(4),
            new SoftmaxCrossEntropyLayer());
        var doubleNetwork = new ReferenceNetwork<double>(description);
        var floatNetwork = new ReferenceNetwork<float>(description);
        ReferencePoint point = ReferencePoint.Random(doubleNetwork, batchSize, seed: 26);
        float[] floatParameters = [.. point.Parameters.Select(value => (float)value)];
        float[] floatInput = [.. point.Input.Select(value => (float)value)];
        double[] doubleState = doubleNetwork.CreateInitialState();
        float[] floatState = floatNetwork.CreateInitialState();

        var doubleGradients = new double[doubleNetwork.ParameterCount];
        var floatGradients = new float[floatNetwork.ParameterCount];
        double doubleLoss = doubleNetwork.ComputeGradients(
            point.Parameters, point.Input, point.Labels, batchSize, ReferenceMode.Training, doubleState, doubleGradients);
        float floatLoss = floatNetwork.ComputeGradients(
            floatParameters, floatInput, point.Labels, batchSize, ReferenceMode.Training, floatState, floatGradients);
        double[] doubleLogits = doubleNetwork.Forward(point.Parameters, point.Input, batchSize, ReferenceMode.Evaluation, doubleState);
        float[] floatLogits = floatNetwork.Forward(floatParameters, floatInput, batchSize, ReferenceMode.Evaluation, floatState);

        Assert.Equal(doubleLoss, floatLoss, 1e-4);
        AssertCloseToScale(doubleLogits, floatLogits, "logit");
        AssertCloseToScale(doubleGradients, floatGradients, "parameter gradient");
        AssertCloseToScale(doubleState, floatState, "running statistic");
    }

    private static void AssertClose(double[] expected, double[] actual, string name)
    {
        Assert.Equal(expected.Length, actual.Length);
        var failures = new List<string>();
        for (int i = 0; i < expected.Length; i++)
        {
            // Only the summation order differs, so the values agree to a few rounding errors.
            double allowed = (1e-12 * Math.Abs(expected[i])) + 1e-15;
            if (!(Math.Abs(expected[i] - actual[i]) <= allowed))
            {
                failures.Add($"{name} {i}: expected {expected[i]:R}, actual {actual[i]:R}");
            }
        }

        Assert.Empty(failures);
    }

    private static void AssertCloseToScale(double[] expected, float[] actual, string name)
    {
        Assert.Equal(expected.Length, actual.Length);
        double allowed = 1e-3 * expected.Max(Math.Abs);
        var failures = new List<string>();
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= allowed))
            {
                failures.Add($"{name} {i}: double {expected[i]:R}, float {actual[i]:R}, allowed difference {allowed:G3}");
            }
        }

        Assert.Empty(failures);
    }
}

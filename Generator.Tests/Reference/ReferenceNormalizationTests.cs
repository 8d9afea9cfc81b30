using ModelCompiler.Reference;
using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

/// <summary>Batch, layer, instance and group normalization checked against hand-computed values and against each other.</summary>
public class ReferenceNormalizationTests
{
    private const double Epsilon = 1e-5;

    // Input 2x1x2 (two channels of two values), batch of 2, so each channel has 4 values per batch.
    // Layout per batch: example 0 channel 0, example 0 channel 1, example 1 channel 0, example 1 channel 1.
    private static readonly double[] FirstBatch = [1, 2, 0, 4, 3, 4, 2, 2];
    private static readonly double[] SecondBatch = [-1, 1, 5, 5, 3, 5, 5, 9];

    // gamma (2, 0.5) then beta (0.1, -0.3).
    private static readonly double[] BatchNormParameters = [2, 0.5, 0.1, -0.3];

    [Fact]
    public void BatchNormRunningStatisticsAfterTwoBatches()
    {
        // First batch: channel 0 is {1, 2, 3, 4}: mean 2.5, unbiased variance 5 / 3. Channel 1 is {0, 4, 2, 2}: mean 2,
        // unbiased variance 8 / 3. With momentum 0.1 from (0, 1): means (0.25, 0.2), variances 0.9 + 0.1 * (5/3, 8/3).
        // Second batch: channel 0 is {-1, 1, 3, 5}: mean 2, unbiased variance 20 / 3. Channel 1 is {5, 5, 5, 9}: mean 6,
        // unbiased variance 4. Means 0.9 * (0.25, 0.2) + 0.1 * (2, 6) = (0.425, 0.78), and variances
        // 0.9 * (1.0666..., 1.1666...) + 0.1 * (6.666..., 4) = (1.6266..., 1.45).
        ReferenceNetwork<double> network = BatchNormNetwork();
        double[] state = network.CreateInitialState();

        network.Forward(BatchNormParameters, FirstBatch, 2, ReferenceMode.Training, state);
        double[] afterFirst = [.. state];
        network.Forward(BatchNormParameters, SecondBatch, 2, ReferenceMode.Training, state);

        AssertClose([0.25, 0.2, 0.9 + (0.1 * 5 / 3), 0.9 + (0.1 * 8 / 3)], afterFirst, 1e-15);
        AssertClose([0.425, 0.78, 0.96 + (0.1 * 20 / 3), 1.05 + 0.4], state, 1e-15);
    }

    [Fact]
    public void BatchNormTrainingUsesBatchStatistics()
    {
        // First batch, biased variances 1.25 (channel 0) and 2 (channel 1).
        ReferenceNetwork<double> network = BatchNormNetwork();
        double[] state = network.CreateInitialState();

        double[] output = network.Forward(BatchNormParameters, FirstBatch, 2, ReferenceMode.Training, state);

        double scale0 = 2 / Math.Sqrt(1.25 + Epsilon);
        double scale1 = 0.5 / Math.Sqrt(2 + Epsilon);
        double[] expected =
        [
            (scale0 * (1 - 2.5)) + 0.1, (scale0 * (2 - 2.5)) + 0.1, (scale1 * (0 - 2)) - 0.3, (scale1 * (4 - 2)) - 0.3,
            (scale0 * (3 - 2.5)) + 0.1, (scale0 * (4 - 2.5)) + 0.1, (scale1 * (2 - 2)) - 0.3, (scale1 * (2 - 2)) - 0.3,
        ];
        AssertClose(expected, output, 1e-14);
    }

    [Fact]
    public void BatchNormEvaluationUsesRunningStatistics()
    {
        ReferenceNetwork<double> network = BatchNormNetwork();
        double[] state = network.CreateInitialState();
        network.Forward(BatchNormParameters, FirstBatch, 2, ReferenceMode.Training, state);
        network.Forward(BatchNormParameters, SecondBatch, 2, ReferenceMode.Training, state);
        double[] stateBefore = [.. state];

        double[] output = network.Forward(BatchNormParameters, [1, 2, 3, 4], 1, ReferenceMode.Evaluation, state);

        // Running means (0.425, 0.78) and variances (1.6266..., 1.45) from the test above.
        double scale0 = 2 / Math.Sqrt(0.96 + (0.1 * 20 / 3) + Epsilon);
        double scale1 = 0.5 / Math.Sqrt(1.45 + Epsilon);
        double[] expected =
        [
            (scale0 * (1 - 0.425)) + 0.1, (scale0 * (2 - 0.425)) + 0.1, (scale1 * (3 - 0.78)) - 0.3, (scale1 * (4 - 0.78)) - 0.3,
        ];
        AssertClose(expected, output, 1e-14);
        Assert.Equal(stateBefore, state);
    }

    [Fact]
    public void BatchNormEvaluationGradientIsAffine()
    {
        // In evaluation mode the input gradient is the output gradient times gamma / sqrt(running_var + eps), and the
        // gamma gradient is the sum of output gradient times (x - running_mean) / sqrt(running_var + eps).
        ReferenceNetwork<double> network = BatchNormNetwork();
        double[] state = [0.5, -1, 4, 0.25];
        double[] input = [1, 2, 3, 4];
        var parameterGradients = new double[4];
        var inputGradients = new double[4];

        network.ComputeGradients(BatchNormParameters, input, [1], 1, ReferenceMode.Evaluation, state, parameterGradients, inputGradients);

        double[] logits = network.Forward(BatchNormParameters, input, 1, ReferenceMode.Evaluation, state);
        double[] logitGradients = SoftmaxGradients(logits, label: 1);
        double inverse0 = 1 / Math.Sqrt(4 + Epsilon);
        double inverse1 = 1 / Math.Sqrt(0.25 + Epsilon);
        AssertClose(
            [logitGradients[0] * 2 * inverse0, logitGradients[1] * 2 * inverse0, logitGradients[2] * 0.5 * inverse1, logitGradients[3] * 0.5 * inverse1],
            inputGradients,
            1e-15);
        double gammaGradient0 = (logitGradients[0] * (1 - 0.5) * inverse0) + (logitGradients[1] * (2 - 0.5) * inverse0);
        double gammaGradient1 = (logitGradients[2] * (3 + 1) * inverse1) + (logitGradients[3] * (4 + 1) * inverse1);
        AssertClose([gammaGradient0, gammaGradient1, logitGradients[0] + logitGradients[1], logitGradients[2] + logitGradients[3]], parameterGradients, 1e-15);
    }

    [Fact]
    public void ComputeGradientsUpdatesStateOnce()
    {
        ReferenceNetwork<double> network = BatchNormNetwork();
        double[] forwardState = network.CreateInitialState();
        double[] gradientState = network.CreateInitialState();
        double[] lossState = network.CreateInitialState();

        network.Forward(BatchNormParameters, FirstBatch, 2, ReferenceMode.Training, forwardState);
        network.ComputeGradients(BatchNormParameters, FirstBatch, [0, 1], 2, ReferenceMode.Training, gradientState, new double[4]);
        network.Loss(BatchNormParameters, FirstBatch, [0, 1], 2, ReferenceMode.Training, lossState);

        Assert.Equal(forwardState, gradientState);
        Assert.Equal(forwardState, lossState);
    }

    [Fact]
    public void EvaluationGradientsLeaveStateUnchanged()
    {
        ReferenceNetwork<double> network = BatchNormNetwork();
        double[] state = [0.5, -1, 4, 0.25];

        network.ComputeGradients(BatchNormParameters, FirstBatch, [0, 1], 2, ReferenceMode.Evaluation, state, new double[4]);

        Assert.Equal([0.5, -1, 4, 0.25], state);
    }

    [Fact]
    public void TrainingOneValuePerChannelRejected()
    {
        // Input 3x1x1 with a batch of 1: each channel has one value, whose batch variance is 0.
        var network = new ReferenceNetwork<double>(Model(3, 1, 1, new BatchNormLayer(Epsilon, 0.1), new SoftmaxCrossEntropyLayer()));
        double[] state = network.CreateInitialState();
        double[] parameters = [1, 1, 1, 0, 0, 0];

        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => network.Forward(parameters, [1, 2, 3], 1, ReferenceMode.Training, state));
        double[] evaluation = network.Forward(parameters, [1, 2, 3], 1, ReferenceMode.Evaluation, state);

        Assert.Equal("batchSize", exception.ParamName);
        Assert.Contains("more than 1 value per channel when training", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Layer 0", exception.Message, StringComparison.Ordinal);
        Assert.Equal([0, 0, 0, 1, 1, 1], state);
        Assert.Equal(3, evaluation.Length);
    }

    [Fact]
    public void TrainingSingleExampleAccepted()
    {
        // A single example still has 2 values per channel when H x W = 2.
        var network = new ReferenceNetwork<double>(Model(1, 1, 2, new BatchNormLayer(Epsilon, 0.1), new SoftmaxCrossEntropyLayer()));
        double[] state = network.CreateInitialState();

        double[] output = network.Forward([1, 0], [1, 3], 1, ReferenceMode.Training, state);

        AssertClose([-1 / Math.Sqrt(1 + Epsilon), 1 / Math.Sqrt(1 + Epsilon)], output, 1e-15);
        AssertClose([0.2, 0.9 + (0.1 * 2)], state, 1e-15);
    }

    [Fact]
    public void LayerNormForward()
    {
        // One example of 1x1x4 = (1, 2, 3, 4): mean 2.5, biased variance 1.25, per-element scale (1, 2, 3, 4) and shift 0.5.
        var network = new ReferenceNetwork<double>(Model(1, 1, 4, new LayerNormLayer(Epsilon), new SoftmaxCrossEntropyLayer()));

        double[] output = network.Forward([1, 2, 3, 4, 0.5, 0.5, 0.5, 0.5], [1, 2, 3, 4], batchSize: 1);

        double inverse = 1 / Math.Sqrt(1.25 + Epsilon);
        AssertClose([(-1.5 * inverse) + 0.5, (2 * -0.5 * inverse) + 0.5, (3 * 0.5 * inverse) + 0.5, (4 * 1.5 * inverse) + 0.5], output, 1e-15);
    }

    [Fact]
    public void InstanceNormWithoutAffineNormalizesEachChannel()
    {
        var network = new ReferenceNetwork<double>(Model(3, 2, 3, new InstanceNormLayer(Epsilon, Affine: false), new SoftmaxCrossEntropyLayer()));
        ReferencePoint point = ReferencePoint.Random(network, batchSize: 2, seed: 50);

        double[] output = network.Forward([], point.Input, batchSize: 2);

        for (int plane = 0; plane < 6; plane++)
        {
            double[] input = point.Input[(plane * 6)..((plane + 1) * 6)];
            double[] values = output[(plane * 6)..((plane + 1) * 6)];
            double inputMean = input.Average();
            double inputVariance = input.Select(value => (value - inputMean) * (value - inputMean)).Average();
            double variance = values.Select(value => value * value).Average();

            Assert.Equal(0.0, values.Average(), 1e-15);
            Assert.Equal(inputVariance / (inputVariance + Epsilon), variance, 1e-14);
        }
    }

    [Fact]
    public void GroupNormOneGroupEqualsLayerNorm()
    {
        // With one group, group normalization normalizes over the whole example like layer normalization. Layer
        // normalization's per-element scale and shift equal group normalization's per-channel ones repeated over H x W.
        var groupNorm = new ReferenceNetwork<double>(Model(4, 2, 3, new GroupNormLayer(1, Epsilon), new SoftmaxCrossEntropyLayer()));
        var layerNorm = new ReferenceNetwork<double>(Model(4, 2, 3, new LayerNormLayer(Epsilon), new SoftmaxCrossEntropyLayer()));
        ReferencePoint point = ReferencePoint.Random(groupNorm, batchSize: 2, seed: 51);
        double[] channelScale = point.Parameters[..4];
        double[] channelShift = point.Parameters[4..];
        double[] layerNormParameters = [.. channelScale.SelectMany(value => Enumerable.Repeat(value, 6)), .. channelShift.SelectMany(value => Enumerable.Repeat(value, 6))];

        var groupGradients = new double[8];
        var groupInputGradients = new double[point.Input.Length];
        var layerGradients = new double[48];
        var layerInputGradients = new double[point.Input.Length];
        double groupLoss = groupNorm.ComputeGradients(point.Parameters, point.Input, point.Labels, 2, groupGradients, groupInputGradients);
        double layerLoss = layerNorm.ComputeGradients(layerNormParameters, point.Input, point.Labels, 2, layerGradients, layerInputGradients);

        AssertClose(layerNorm.Forward(layerNormParameters, point.Input, 2), groupNorm.Forward(point.Parameters, point.Input, 2), 1e-15);
        Assert.Equal(layerLoss, groupLoss, 1e-15);
        AssertClose(layerInputGradients, groupInputGradients, 1e-15);

        // Each per-channel gradient is the sum of the per-element gradients of its channel.
        double[] summedLayerGradients = [.. layerGradients.Chunk(6).Select(chunk => chunk.Sum())];
        AssertClose(summedLayerGradients, groupGradients, 1e-15);
    }

    [Fact]
    public void GroupNormPerChannelEqualsInstanceNorm()
    {
        var groupNorm = new ReferenceNetwork<double>(Model(3, 2, 3, new GroupNormLayer(3, Epsilon), new SoftmaxCrossEntropyLayer()));
        var instanceNorm = new ReferenceNetwork<double>(Model(3, 2, 3, new InstanceNormLayer(Epsilon, Affine: true), new SoftmaxCrossEntropyLayer()));
        ReferencePoint point = ReferencePoint.Random(groupNorm, batchSize: 2, seed: 52);

        var groupGradients = new double[6];
        var groupInputGradients = new double[point.Input.Length];
        var instanceGradients = new double[6];
        var instanceInputGradients = new double[point.Input.Length];
        groupNorm.ComputeGradients(point.Parameters, point.Input, point.Labels, 2, groupGradients, groupInputGradients);
        instanceNorm.ComputeGradients(point.Parameters, point.Input, point.Labels, 2, instanceGradients, instanceInputGradients);

        Assert.Equal(instanceNorm.Forward(point.Parameters, point.Input, 2), groupNorm.Forward(point.Parameters, point.Input, 2));
        Assert.Equal(instanceGradients, groupGradients);
        Assert.Equal(instanceInputGradients, groupInputGradients);
    }

    [Fact]
    public void GroupNormGroupsSpanConsecutiveChannels()
    {
        // Input 4x1x1 with 2 groups: channels (0, 1) and (2, 3) are normalized together. Values (1, 3) and (10, 30)
        // normalize to about (-1, 1) each, with scale 1 and shift 0.
        var network = new ReferenceNetwork<double>(Model(4, 1, 1, new GroupNormLayer(2, Epsilon), new SoftmaxCrossEntropyLayer()));

        double[] output = network.Forward([1, 1, 1, 1, 0, 0, 0, 0], [1, 3, 10, 30], batchSize: 1);

        AssertClose([-1 / Math.Sqrt(1 + Epsilon), 1 / Math.Sqrt(1 + Epsilon), -10 / Math.Sqrt(100 + Epsilon), 10 / Math.Sqrt(100 + Epsilon)], output, 1e-15);
    }

    [Fact]
    public void GroupNormRejectsInvalidGroupCount()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => new ReferenceNetwork<double>(Model(6, 2, 2, new GroupNormLayer(4, Epsilon), new SoftmaxCrossEntropyLayer())));

        Assert.Contains("Groups must divide the 6 input channels, but is 4", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Valid group counts are 1, 2, 3, 6.", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Input 2x1x2, batch normalization with momentum 0.1, then the loss.</summary>
    private static ReferenceNetwork<double> BatchNormNetwork() =>
        new(Model(2, 1, 2, new BatchNormLayer(Epsilon, 0.1), new SoftmaxCrossEntropyLayer()));

    /// <summary>Returns softmax(logits) - onehot(label) for one example.</summary>
    private static double[] SoftmaxGradients(double[] logits, int label)
    {
        double maximum = logits.Max();
        double[] exponentials = [.. logits.Select(value => Math.Exp(value - maximum))];
        double total = exponentials.Sum();
        return [.. exponentials.Select((value, j) => (value / total) - (j == label ? 1.0 : 0.0))];
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1.0, Math.Abs(expected[i])),
                $"Element {i}: expected {expected[i]:R}, actual {actual[i]:R}, tolerance {tolerance:G3}.");
        }
    }
}

using ModelCompiler.Reference;
using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

public class ReferenceArgumentValidationTests
{
    // Input 1x1x3, Dense(2): 8 parameters, 3 inputs and 2 classes per example.
    private readonly ReferenceNetwork<double> _network = new(Model(1, 1, 3, new DenseLayer(2), new SoftmaxCrossEntropyLayer()));
    private readonly double[] _parameters = new double[8];
    private readonly double[] _input = new double[6];
    private readonly int[] _labels = [0, 1];

    [Fact]
    public void NullDescriptionRejected()
    {
        Assert.Throws<ArgumentNullException>(() => new ReferenceNetwork<double>(null!));
    }

    [Fact]
    public void WrongParameterLengthRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => _network.Forward(new double[7], _input, 2));

        Assert.Equal("parameters", exception.ParamName);
        Assert.Contains("is 7", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ParameterCount = 8", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongInputLengthRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => _network.Loss(_parameters, new double[5], _labels, 2));

        Assert.Equal("input", exception.ParamName);
        Assert.Contains("is 5", exception.Message, StringComparison.Ordinal);
        Assert.Contains("batchSize 2 x InputSize 3 = 6", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputLongerThanBatchRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => _network.Forward(_parameters, _input, 1));

        Assert.Contains("is 6", exception.Message, StringComparison.Ordinal);
        Assert.Contains("batchSize 1 x InputSize 3 = 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonPositiveBatchSizeRejected()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => _network.Forward(_parameters, [], 0));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => _network.Forward(_parameters, [], -1));

        Assert.Equal("batchSize", zero.ParamName);
        Assert.Equal("batchSize", negative.ParamName);
    }

    [Fact]
    public void WrongLabelCountRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => _network.Loss(_parameters, _input, [0], 2));

        Assert.Equal("labels", exception.ParamName);
        Assert.Contains("is 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("batchSize = 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelAboveRangeRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => _network.Loss(_parameters, _input, [0, 2], 2));

        Assert.Equal("labels", exception.ParamName);
        Assert.Contains("Label 1 is 2", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 2)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeLabelRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => _network.ComputeGradients(_parameters, _input, [-1, 0], 2, new double[8]));

        Assert.Contains("Label 0 is -1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongParameterGradientLengthRejected()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => _network.ComputeGradients(_parameters, _input, _labels, 2, new double[9]));

        Assert.Equal("parameterGradients", exception.ParamName);
        Assert.Contains("is 9", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongInputGradientLengthRejected()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => _network.ComputeGradients(_parameters, _input, _labels, 2, new double[8], new double[3]));

        Assert.Equal("inputGradients", exception.ParamName);
        Assert.Contains("is 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("= 6", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatelessOverloadsRejectBatchNormModel()
    {
        var network = new ReferenceNetwork<double>(Model(2, 1, 1, new BatchNormLayer(1e-5, 0.1), new SoftmaxCrossEntropyLayer()));
        double[] parameters = [1, 1, 0, 0];
        double[] input = [1, 2, 3, 4];

        var forward = Assert.Throws<InvalidOperationException>(() => network.Forward(parameters, input, 2));
        var loss = Assert.Throws<InvalidOperationException>(() => network.Loss(parameters, input, [0, 1], 2));
        var gradients = Assert.Throws<InvalidOperationException>(() => network.ComputeGradients(parameters, input, [0, 1], 2, new double[4]));

        foreach (InvalidOperationException exception in new[] { forward, loss, gradients })
        {
            Assert.Contains("ReferenceMode and a state", exception.Message, StringComparison.Ordinal);
            Assert.Contains("CreateInitialState()", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WrongStateLengthRejected()
    {
        var network = new ReferenceNetwork<double>(Model(2, 1, 1, new BatchNormLayer(1e-5, 0.1), new SoftmaxCrossEntropyLayer()));

        var exception = Assert.Throws<ArgumentException>(
            () => network.Forward([1, 1, 0, 0], [1, 2, 3, 4], 2, ReferenceMode.Training, new double[3]));

        Assert.Equal("state", exception.ParamName);
        Assert.Contains("is 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("StateCount = 4", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StateGivenToStatelessModelRejected()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => _network.Loss(_parameters, _input, _labels, 2, ReferenceMode.Evaluation, new double[1]));

        Assert.Equal("state", exception.ParamName);
        Assert.Contains("StateCount = 0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndefinedModeRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => _network.Forward(_parameters, _input, 2, (ReferenceMode)5, []));

        Assert.Equal("mode", exception.ParamName);
    }

    [Fact]
    public void ModeOverloadsMatchStatelessOverloads()
    {
        ReferencePoint point = ReferencePoint.Random(_network, 2, seed: 60);
        var statelessGradients = new double[8];
        var evaluationGradients = new double[8];

        double[] stateless = _network.Forward(point.Parameters, point.Input, 2);
        double[] evaluation = _network.Forward(point.Parameters, point.Input, 2, ReferenceMode.Evaluation, []);
        double statelessLoss = _network.ComputeGradients(point.Parameters, point.Input, point.Labels, 2, statelessGradients);
        double evaluationLoss = _network.ComputeGradients(
            point.Parameters, point.Input, point.Labels, 2, ReferenceMode.Evaluation, [], evaluationGradients);

        Assert.Equal(stateless, evaluation);
        Assert.Equal(statelessLoss, evaluationLoss);
        Assert.Equal(statelessGradients, evaluationGradients);
    }

    [Fact]
    public void LayersListIsReadOnly()
    {
        Assert.IsNotType<ReferenceLayerInfo[]>(_network.Layers);
        Assert.Throws<NotSupportedException>(() => ((IList<ReferenceLayerInfo>)_network.Layers)[0] = _network.Layers[0]);
    }
}

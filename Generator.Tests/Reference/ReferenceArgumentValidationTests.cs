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
    public void LayersListIsReadOnly()
    {
        Assert.IsNotType<ReferenceLayerInfo[]>(_network.Layers);
        Assert.Throws<NotSupportedException>(() => ((IList<ReferenceLayerInfo>)_network.Layers)[0] = _network.Layers[0]);
    }
}

using ModelCompiler.Tests.Models;
using Xunit;

namespace ModelCompiler.Tests.Generation;

/// <summary>
/// LayerOutput of a generated model, numbered from 1 like the layer table: outputs of the last forward pass, and clear
/// errors for outputs that an in-place activation or BatchNorm folding leaves without a buffer of their own.
/// </summary>
public sealed class LayerOutputTests
{
    // BatchNormModel: 1 Conv1, 2 BatchNorm1, 3 Relu1 (in place), 4 MaxPool1, 5 Dense1, 6 BatchNorm2, 7 Relu2, 8 Dense2.
    private static BatchNormModel RunForward(ModelMode mode, int batchSize)
    {
        var model = new BatchNormModel();
        model.InitializeParameters(seed: 2);
        model.Mode = mode;
        var input = Enumerable.Range(0, batchSize * BatchNormModel.InputSize).Select(i => MathF.Sin(i)).ToArray();
        model.Forward(input, new float[batchSize * BatchNormModel.OutputSize], batchSize);
        return model;
    }

    [Fact]
    public void ReturnsOutputOfLastBatch()
    {
        var model = RunForward(ModelMode.Training, batchSize: 3);

        var output = model.LayerOutput(3);

        Assert.Equal(3 * BatchNormModel.Layers.Relu1.OutputSize, output.Length);
        Assert.True(output.ToArray().All(v => v >= 0), "ReLU outputs must not be negative.");
    }

    [Fact]
    public void OutputOverwrittenInPlaceNamesTheActivation()
    {
        var model = RunForward(ModelMode.Training, batchSize: 2);

        var exception = Assert.Throws<InvalidOperationException>(() => model.LayerOutput(2).Length);

        Assert.Contains("The output of layer 2 (BatchNorm1) is overwritten in place by layer 3 (Relu1); read layer 3 instead.", exception.Message);
    }

    [Fact]
    public void FoldedConvolutionOutputNamesTheFolding()
    {
        var model = RunForward(ModelMode.Evaluation, batchSize: 2);

        var exception = Assert.Throws<InvalidOperationException>(() => model.LayerOutput(1).Length);

        Assert.Contains("folded layer 2 (BatchNorm1) into layer 1 (Conv1)", exception.Message);
        Assert.Contains("FoldBatchNorm = false", exception.Message);
    }

    [Fact]
    public void UnfoldedConvolutionOutputIsAvailable()
    {
        var model = new BatchNormModel { Mode = ModelMode.Evaluation, FoldBatchNorm = false };
        model.InitializeParameters(seed: 2);
        model.Forward(new float[BatchNormModel.InputSize], new float[BatchNormModel.OutputSize], 1);

        Assert.Equal(BatchNormModel.Layers.Conv1.OutputSize, model.LayerOutput(1).Length);
    }

    [Fact]
    public void BeforeAnyForwardPassThrows()
    {
        var model = new BatchNormModel();

        var exception = Assert.Throws<InvalidOperationException>(() => model.LayerOutput(1).Length);

        Assert.Contains("No forward pass has run yet", exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void LayerNumberOutsideModelThrows(int layer)
    {
        var model = RunForward(ModelMode.Training, batchSize: 2);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => model.LayerOutput(layer).Length);

        Assert.Contains("The model has layers 1 to 8", exception.Message);
    }

    [Fact]
    public void TrainingBatchOfOneWithFeatureBatchNormIsRejected()
    {
        var model = new BatchNormModel();
        model.InitializeParameters(seed: 1);

        var exception = Assert.Throws<ArgumentException>(() => model.ComputeGradients(new float[BatchNormModel.InputSize], new[] { 0 }, 1));

        Assert.Contains("BatchNorm2 normalizes each feature over the batch", exception.Message);
        Assert.Contains("use a batch of at least 2, or switch Mode to Evaluation", exception.Message);
    }

    [Fact]
    public void InvalidLabelLeavesRunningStatisticsUnchanged()
    {
        var model = new BatchNormModel();
        model.InitializeParameters(seed: 1);
        float[] before = (float[])model.RunningStatistics.Clone();

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => model.ComputeGradients(new float[2 * BatchNormModel.InputSize], new[] { 0, 99 }, 2));

        Assert.Contains("labels[1] is 99; expected a class index in [0, 3)", exception.Message);
        Assert.Equal(before, model.RunningStatistics);
    }

    [Fact]
    public void UndefinedModeIsRejected()
    {
        var model = new BatchNormModel();

        Assert.Throws<ArgumentOutOfRangeException>(() => model.Mode = (ModelMode)5);
        Assert.Equal(ModelMode.Training, model.Mode);
    }
}

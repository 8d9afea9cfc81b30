using ModelCompiler.Data;
using ModelCompiler.Training;

namespace ModelCompiler.Samples.FashionMnist;

/// <summary>Runs shuffled training epochs and test evaluation, reusing its batch buffers throughout.</summary>
internal sealed class EpochRunner
{
    private const int EvaluationBatchSize = 500;

    private readonly ICompiledModel _model;
    private readonly MnistDataset _data;
    private readonly int _batchSize;
    private readonly DeterministicRandom _random;
    private readonly int[] _order;
    private readonly float[] _images;
    private readonly int[] _labels;
    private readonly float[] _logits;

    public EpochRunner(ICompiledModel model, MnistDataset data, int batchSize, DeterministicRandom random)
    {
        _model = model;
        _data = data;
        _batchSize = batchSize;
        _random = random;
        _order = IndexShuffler.CreateIdentityPermutation(data.Train.Count);
        _images = new float[batchSize * model.InputSize];
        _logits = new float[EvaluationBatchSize * model.OutputSize];
        _labels = new int[batchSize];
    }

    /// <summary>Trains one epoch in a new random order, the last batch possibly smaller; returns the mean training loss.</summary>
    public double Train(SgdMomentum optimizer)
    {
        _model.Mode = ModelMode.Training;
        IndexShuffler.Shuffle(_order, _random);
        double lossSum = 0;
        int count = _data.Train.Count;
        for (int start = 0; start < count; start += _batchSize)
        {
            int size = Math.Min(_batchSize, count - start);
            BatchGatherer.Gather(_data.Train, _order.AsSpan(start, size), _images, _labels);
            float loss = _model.TrainStep(_images, _labels, size, optimizer);
            lossSum += (double)loss * size;
        }

        return lossSum / count;
    }

    /// <summary>Returns the share of test images whose largest logit is the true class, in evaluation mode.</summary>
    public double TestAccuracy()
    {
        // Evaluation mode: BatchNorm uses its running averages, so each prediction is independent of the batch.
        _model.Mode = ModelMode.Evaluation;
        var test = _data.Test;
        int correct = 0;
        for (int start = 0; start < test.Count; start += EvaluationBatchSize)
        {
            int size = Math.Min(EvaluationBatchSize, test.Count - start);
            var images = test.Images.AsSpan(start * _model.InputSize, size * _model.InputSize);
            _model.Forward(images, _logits, size);
            correct += Losses.CountCorrect(_logits.AsSpan(0, size * _model.OutputSize), test.Labels.AsSpan(start, size), size, _model.OutputSize);
        }

        return (double)correct / test.Count;
    }
}

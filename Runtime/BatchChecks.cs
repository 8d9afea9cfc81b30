namespace ModelCompiler;

/// <summary>
/// Argument checks that generated models run at the start of every public call, so that the unrolled code
/// behind them can index without bounds checks.
/// </summary>
public static class BatchChecks
{
    /// <summary>
    /// Checks that <paramref name="batchSize"/> is positive, that the batch fits 32-bit buffer indexes, and that
    /// an input span of <paramref name="length"/> values contains <paramref name="batchSize"/> examples of
    /// <paramref name="exampleSize"/> values.
    /// </summary>
    /// <param name="length">Length of the input span.</param>
    /// <param name="exampleSize">Values per input example.</param>
    /// <param name="batchSize">Examples in the batch.</param>
    /// <param name="largestTensor">Values per example of the model's largest tensor.</param>
    /// <param name="parameterName">Name of the input parameter, for the message.</param>
    public static void Check(int length, int exampleSize, int batchSize, int largestTensor, string parameterName)
    {
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be at least 1; it is {batchSize}.");
        }

        long largest = (long)batchSize * largestTensor;
        if (largest > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batchSize),
                batchSize,
                $"A batch of {batchSize} needs {largest} values for the model's largest tensor ({largestTensor} per example), more than an array can hold ({Array.MaxLength}); use a batch of at most {Array.MaxLength / largestTensor}.");
        }

        long needed = (long)batchSize * exampleSize;
        if (length < needed)
        {
            throw new ArgumentException(
                $"{parameterName} has {length} values, but a batch of {batchSize} needs {needed} ({exampleSize} per example).",
                parameterName);
        }
    }

    /// <summary>Checks that an output span of <paramref name="length"/> values has room for the batch.</summary>
    /// <param name="length">Length of the output span.</param>
    /// <param name="exampleSize">Values per output example.</param>
    /// <param name="batchSize">Examples in the batch, already checked by <see cref="Check"/>.</param>
    /// <param name="parameterName">Name of the output parameter, for the message.</param>
    public static void CheckOutput(int length, int exampleSize, int batchSize, string parameterName)
    {
        long needed = (long)batchSize * exampleSize;
        if (length < needed)
        {
            throw new ArgumentException(
                $"{parameterName} has room for {length} values, but a batch of {batchSize} produces {needed} ({exampleSize} per example).",
                parameterName);
        }
    }

    /// <summary>Checks that there is a label for every example of the batch.</summary>
    /// <param name="length">Length of the labels span.</param>
    /// <param name="batchSize">Examples in the batch.</param>
    /// <param name="parameterName">Name of the labels parameter, for the message.</param>
    public static void CheckLabels(int length, int batchSize, string parameterName)
    {
        if (length < batchSize)
        {
            throw new ArgumentException($"{parameterName} has {length} labels, but the batch has {batchSize} examples.", parameterName);
        }
    }

    /// <summary>
    /// Rejects a training batch of one example for a model whose BatchNorm normalizes features over the batch alone,
    /// since one value per feature cannot be normalized (PyTorch rejects it too).
    /// </summary>
    /// <param name="batchSize">Examples in the batch.</param>
    /// <param name="mode">The model's mode; evaluation uses running averages and accepts any batch.</param>
    /// <param name="layerName">The BatchNorm layer, for the message.</param>
    public static void CheckBatchNormBatch(int batchSize, ModelMode mode, string layerName)
    {
        if (batchSize == 1 && mode == ModelMode.Training)
        {
            throw new ArgumentException(
                $"{layerName} normalizes each feature over the batch, and a training batch of 1 has a single value per feature; use a batch of at least 2, or switch Mode to Evaluation for inference.",
                nameof(batchSize));
        }
    }

    /// <summary>
    /// Checks that every label of the batch is a class index, before any layer runs, so that a rejected batch leaves
    /// the running statistics of BatchNorm layers unchanged.
    /// </summary>
    /// <param name="labels">The labels; at least <paramref name="batchSize"/> of them, already checked by <see cref="CheckLabels"/>.</param>
    /// <param name="batchSize">Examples in the batch.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="parameterName">Name of the labels parameter, for the message.</param>
    public static void CheckLabelValues(ReadOnlySpan<int> labels, int batchSize, int classes, string parameterName)
    {
        for (int i = 0; i < batchSize; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(parameterName, labels[i], $"{parameterName}[{i}] is {labels[i]}; expected a class index in [0, {classes}).");
            }
        }
    }
}

namespace ModelCompiler.Training;

/// <summary>
/// Softmax cross-entropy over integer class labels, averaged over the batch (PyTorch's <c>CrossEntropyLoss</c>
/// with mean reduction), the multiclass hinge loss (<c>MultiMarginLoss</c>), and the argmax accuracy count.
/// </summary>
/// <remarks>
/// Logits are row-major, so row i contains the <c>classes</c> logits of example i. Every span must have exactly the
/// length that <c>batchSize</c> and <c>classes</c> imply, so callers with larger buffers pass slices.
/// </remarks>
public static class Losses
{
    /// <summary>
    /// Computes the mean softmax cross-entropy loss of a batch and writes its gradient with respect to the logits,
    /// (softmax(logits) - onehot(label)) / batchSize, to <paramref name="logitGradients"/>.
    /// </summary>
    /// <returns>The mean over the batch of -log softmax(logits)[label].</returns>
    /// <remarks>
    /// Each row is shifted by its maximum before exponentiation, so large logits do not overflow. Exponentials
    /// and their row sums are computed in float and the loss is accumulated in double. NaN or infinite logits
    /// give a NaN loss.
    /// </remarks>
    /// <exception cref="ArgumentException">A span length does not match <paramref name="batchSize"/> and <paramref name="classes"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> or <paramref name="classes"/> is not positive, or a label is outside [0, classes).
    /// </exception>
    public static float SoftmaxCrossEntropy(
        ReadOnlySpan<float> logits,
        ReadOnlySpan<int> labels,
        Span<float> logitGradients,
        int batchSize,
        int classes)
    {
        ValidateArguments(logits, labels, batchSize, classes);
        if (logitGradients.Length != logits.Length)
        {
            throw new ArgumentException(
                $"logitGradients has {logitGradients.Length} values; expected {logits.Length} " +
                $"(batchSize {batchSize} x classes {classes}).",
                nameof(logitGradients));
        }

        return ComputeMeanLoss(logits, labels, logitGradients, writeGradients: true, batchSize, classes);
    }

    /// <summary>Computes the mean softmax cross-entropy loss of a batch without gradients.</summary>
    /// <returns>The mean over the batch of -log softmax(logits)[label].</returns>
    /// <exception cref="ArgumentException">A span length does not match <paramref name="batchSize"/> and <paramref name="classes"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> or <paramref name="classes"/> is not positive, or a label is outside [0, classes).
    /// </exception>
    public static float SoftmaxCrossEntropyLoss(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int batchSize, int classes)
    {
        ValidateArguments(logits, labels, batchSize, classes);
        return ComputeMeanLoss(logits, labels, Span<float>.Empty, writeGradients: false, batchSize, classes);
    }

    /// <summary>
    /// Computes the mean multiclass hinge loss of a batch, as PyTorch's <c>MultiMarginLoss</c> with p = 1, no class
    /// weights and mean reduction, and writes its gradient with respect to the logits to <paramref name="logitGradients"/>.
    /// </summary>
    /// <returns>
    /// The mean over the batch of sum over j != label of max(0, margin - logits[label] + logits[j]), divided by
    /// <paramref name="classes"/>.
    /// </returns>
    /// <remarks>
    /// Only terms with margin - logits[label] + logits[j] &gt; 0 count. Each adds 1 / (classes * batchSize) to the
    /// gradient of logits[j] and subtracts it from that of logits[label], so a term exactly at the margin has
    /// gradient 0, as in PyTorch. Terms are computed in float in that order and the loss is accumulated in double.
    /// A NaN term makes the loss NaN, as max(0, NaN) does in PyTorch, and adds nothing to the gradient.
    /// </remarks>
    /// <exception cref="ArgumentException">A span length does not match <paramref name="batchSize"/> and <paramref name="classes"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> or <paramref name="classes"/> is not positive, or a label is outside [0, classes).
    /// </exception>
    public static float MulticlassHinge(
        ReadOnlySpan<float> logits,
        ReadOnlySpan<int> labels,
        Span<float> logitGradients,
        int batchSize,
        int classes,
        float margin)
    {
        ValidateArguments(logits, labels, batchSize, classes);
        if (logitGradients.Length != logits.Length)
        {
            throw new ArgumentException(
                $"logitGradients has {logitGradients.Length} values; expected {logits.Length} " +
                $"(batchSize {batchSize} x classes {classes}).",
                nameof(logitGradients));
        }

        double termGradient = 1.0 / ((double)classes * batchSize);
        double lossSum = 0.0;
        for (int example = 0; example < batchSize; example++)
        {
            ReadOnlySpan<float> row = logits.Slice(example * classes, classes);
            Span<float> gradientRow = logitGradients.Slice(example * classes, classes);
            int label = labels[example];
            float labelLogit = row[label];

            double exampleSum = 0.0;
            int activeTerms = 0;
            for (int j = 0; j < classes; j++)
            {
                float hinge = margin - labelLogit + row[j];
                bool active = j != label && hinge > 0f;
                gradientRow[j] = active ? (float)termGradient : 0f;
                if (active)
                {
                    exampleSum += hinge;
                    activeTerms++;
                }
                else if (j != label && float.IsNaN(hinge))
                {
                    exampleSum = double.NaN;
                }
            }

            gradientRow[label] = (float)(-activeTerms * termGradient);
            lossSum += exampleSum / classes;
        }

        return (float)(lossSum / batchSize);
    }

    /// <summary>
    /// Counts the examples whose <see cref="ArgMax"/> over their logits equals their label, the numerator of the
    /// accuracy.
    /// </summary>
    /// <exception cref="ArgumentException">A span length does not match <paramref name="batchSize"/> and <paramref name="classes"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="batchSize"/> or <paramref name="classes"/> is not positive, or a label is outside [0, classes).
    /// </exception>
    public static int CountCorrect(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int batchSize, int classes)
    {
        ValidateArguments(logits, labels, batchSize, classes);

        int correct = 0;
        for (int example = 0; example < batchSize; example++)
        {
            if (ArgMax(logits.Slice(example * classes, classes)) == labels[example])
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>
    /// Returns the index of the largest value. As in PyTorch's <c>argmax</c> on the CPU, ties go to the lowest
    /// index and a NaN counts as larger than any number, so the index of the first NaN is returned.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("Cannot take the argmax of an empty span.", nameof(values));
        }

        int bestIndex = 0;
        float best = values[0];
        if (float.IsNaN(best))
        {
            return 0;
        }

        for (int i = 1; i < values.Length; i++)
        {
            float value = values[i];
            if (float.IsNaN(value))
            {
                return i;
            }

            if (value > best)
            {
                best = value;
                bestIndex = i;
            }
        }

        return bestIndex;
    }

    private static float ComputeMeanLoss(
        ReadOnlySpan<float> logits,
        ReadOnlySpan<int> labels,
        Span<float> logitGradients,
        bool writeGradients,
        int batchSize,
        int classes)
    {
        double lossSum = 0.0;
        for (int example = 0; example < batchSize; example++)
        {
            ReadOnlySpan<float> row = logits.Slice(example * classes, classes);
            int label = labels[example];

            float max = row[0];
            for (int j = 1; j < row.Length; j++)
            {
                max = MathF.Max(max, row[j]);
            }

            float sumOfExponentials = 0f;
            for (int j = 0; j < row.Length; j++)
            {
                sumOfExponentials += MathF.Exp(row[j] - max);
            }

            // -log softmax[label] = log(sum_j exp(x_j - max)) - (x_label - max), and the sum is at least 1.
            lossSum += Math.Log(sumOfExponentials) - (row[label] - max);

            if (writeGradients)
            {
                Span<float> gradientRow = logitGradients.Slice(example * classes, classes);
                for (int j = 0; j < row.Length; j++)
                {
                    float probability = MathF.Exp(row[j] - max) / sumOfExponentials;
                    float target = j == label ? 1f : 0f;
                    gradientRow[j] = (probability - target) / batchSize;
                }
            }
        }

        return (float)(lossSum / batchSize);
    }

    // Checks every label before any output is written, so that a bad batch leaves the gradients untouched.
    private static void ValidateArguments(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int batchSize, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);

        long expectedLogits = (long)batchSize * classes;
        if (logits.Length != expectedLogits)
        {
            throw new ArgumentException(
                $"logits has {logits.Length} values; expected {expectedLogits} (batchSize {batchSize} x classes {classes}).",
                nameof(logits));
        }

        if (labels.Length != batchSize)
        {
            throw new ArgumentException(
                $"labels has {labels.Length} values; expected batchSize = {batchSize}.",
                nameof(labels));
        }

        for (int example = 0; example < batchSize; example++)
        {
            int label = labels[example];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels),
                    label,
                    $"labels[{example}] is {label}; expected a class index in [0, {classes}).");
            }
        }
    }
}

using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Softmax followed by cross-entropy against integer labels, averaged over the batch, as PyTorch's
/// <c>CrossEntropyLoss</c> computes it with mean reduction.
/// </summary>
/// <remarks>
/// Each example's loss is log(sum over j of exp(z[j])) - z[label]. The log-sum-exp subtracts the largest
/// logit before exponentiating, so large logits do not overflow.
/// </remarks>
internal static class ReferenceSoftmaxCrossEntropy
{
    /// <summary>Returns the mean loss over the batch.</summary>
    public static T Forward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classCount, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T total = T.Zero;
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> exampleLogits = logits.Slice(n * classCount, classCount);
            total += LogSumExp(exampleLogits) - exampleLogits[labels[n]];
        }

        return total / T.CreateChecked(batchSize);
    }

    /// <summary>
    /// Overwrites <paramref name="logitGradients"/> with the gradient of the mean loss with respect to the
    /// logits: (softmax(z) - onehot(label)) / batchSize.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classCount, int batchSize, Span<T> logitGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T batchCount = T.CreateChecked(batchSize);
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> exampleLogits = logits.Slice(n * classCount, classCount);
            Span<T> exampleGradients = logitGradients.Slice(n * classCount, classCount);
            T logSumExp = LogSumExp(exampleLogits);
            for (int j = 0; j < classCount; j++)
            {
                T probability = T.Exp(exampleLogits[j] - logSumExp);
                T target = j == labels[n] ? T.One : T.Zero;
                exampleGradients[j] = (probability - target) / batchCount;
            }
        }
    }

    /// <summary>Returns log(sum of exp(z)) computed as max + log(sum of exp(z - max)).</summary>
    private static T LogSumExp<T>(ReadOnlySpan<T> logits)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T maximum = logits[0];
        for (int j = 1; j < logits.Length; j++)
        {
            maximum = T.Max(maximum, logits[j]);
        }

        T sum = T.Zero;
        for (int j = 0; j < logits.Length; j++)
        {
            sum += T.Exp(logits[j] - maximum);
        }

        return maximum + T.Log(sum);
    }
}

using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Multiclass hinge loss against integer labels, as PyTorch's <c>MultiMarginLoss</c> with p = 1, no class weights
/// and mean reduction: for each example, the sum over classes j other than the label y of
/// max(0, Margin - x[y] + x[j]), divided by the number of classes C, then averaged over the batch.
/// </summary>
/// <remarks>
/// A term contributes to the gradient only where Margin - x[y] + x[j] &gt; 0, so at the kink (exactly 0) its
/// subgradient is 0, as in PyTorch.
/// </remarks>
internal static class ReferenceMulticlassHinge
{
    /// <summary>Returns the mean loss over the batch.</summary>
    public static T Forward<T>(MulticlassHingeLayer layer, ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classCount, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T margin = T.CreateChecked(layer.Margin);
        T total = T.Zero;
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> exampleLogits = logits.Slice(n * classCount, classCount);
            int label = labels[n];
            T exampleSum = T.Zero;
            for (int j = 0; j < classCount; j++)
            {
                T hinge = margin - exampleLogits[label] + exampleLogits[j];
                if (j != label && hinge > T.Zero)
                {
                    exampleSum += hinge;
                }
            }

            total += exampleSum / T.CreateChecked(classCount);
        }

        return total / T.CreateChecked(batchSize);
    }

    /// <summary>
    /// Overwrites <paramref name="logitGradients"/> with the gradient of the mean loss: each active term
    /// (Margin - x[y] + x[j] &gt; 0, j != y) adds 1 / (C x batchSize) to x[j]'s gradient and subtracts it from x[y]'s.
    /// </summary>
    public static void Backward<T>(
        MulticlassHingeLayer layer, ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classCount, int batchSize, Span<T> logitGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T margin = T.CreateChecked(layer.Margin);
        T termGradient = T.One / (T.CreateChecked(classCount) * T.CreateChecked(batchSize));
        logitGradients.Clear();
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> exampleLogits = logits.Slice(n * classCount, classCount);
            Span<T> exampleGradients = logitGradients.Slice(n * classCount, classCount);
            int label = labels[n];
            for (int j = 0; j < classCount; j++)
            {
                T hinge = margin - exampleLogits[label] + exampleLogits[j];
                if (j != label && hinge > T.Zero)
                {
                    exampleGradients[j] += termGradient;
                    exampleGradients[label] -= termGradient;
                }
            }
        }
    }
}

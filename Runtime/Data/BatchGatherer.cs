namespace ModelCompiler.Data;

/// <summary>Copies the examples of a mini-batch, chosen by index, into caller-owned buffers without allocating.</summary>
public static class BatchGatherer
{
    /// <summary>
    /// Copies example <c>indices[k]</c> of <paramref name="images"/> and <paramref name="labels"/> to position k of
    /// <paramref name="imageBatch"/> and <paramref name="labelBatch"/>, for every k.
    /// </summary>
    /// <remarks>
    /// The batch buffers may be longer than needed, so that buffers sized for a full batch also serve a shorter
    /// last batch: only the first <c>indices.Length</c> examples are written, and the rest keeps its old values.
    /// </remarks>
    /// <param name="images">All examples, <paramref name="exampleSize"/> values each, one after another.</param>
    /// <param name="labels">The label of each example.</param>
    /// <param name="exampleSize">Number of values in one example, channels x height x width.</param>
    /// <param name="indices">The examples to copy, in batch order.</param>
    /// <param name="imageBatch">Receives <c>indices.Length</c> x <paramref name="exampleSize"/> values.</param>
    /// <param name="labelBatch">Receives <c>indices.Length</c> labels.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exampleSize"/> is not positive, or an index is out of range.</exception>
    /// <exception cref="ArgumentException">A span is too short, or the image and label counts differ.</exception>
    public static void Gather(
        ReadOnlySpan<float> images,
        ReadOnlySpan<int> labels,
        int exampleSize,
        ReadOnlySpan<int> indices,
        Span<float> imageBatch,
        Span<int> labelBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exampleSize);
        if (images.Length != (long)labels.Length * exampleSize)
        {
            throw new ArgumentException(
                $"images has {images.Length} values; expected labels.Length x exampleSize = {labels.Length} x {exampleSize}.",
                nameof(images));
        }

        long requiredImageLength = (long)indices.Length * exampleSize;
        if (imageBatch.Length < requiredImageLength)
        {
            throw new ArgumentException(
                $"imageBatch has {imageBatch.Length} values; {indices.Length} examples of {exampleSize} need {requiredImageLength}.",
                nameof(imageBatch));
        }

        if (labelBatch.Length < indices.Length)
        {
            throw new ArgumentException(
                $"labelBatch has {labelBatch.Length} values; {indices.Length} examples need {indices.Length}.",
                nameof(labelBatch));
        }

        for (int k = 0; k < indices.Length; k++)
        {
            int index = indices[k];
            if ((uint)index >= (uint)labels.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices),
                    index,
                    $"indices[{k}] is {index}; expected an example index in [0, {labels.Length}).");
            }

            images.Slice(index * exampleSize, exampleSize).CopyTo(imageBatch.Slice(k * exampleSize, exampleSize));
            labelBatch[k] = labels[index];
        }
    }

    /// <summary>Copies the examples of <paramref name="split"/> at <paramref name="indices"/>; see the span overload.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    /// <exception cref="ArgumentException">A batch buffer is too short.</exception>
    public static void Gather(MnistSplit split, ReadOnlySpan<int> indices, Span<float> imageBatch, Span<int> labelBatch)
    {
        ArgumentNullException.ThrowIfNull(split);
        Gather(split.Images, split.Labels, split.ImageSize, indices, imageBatch, labelBatch);
    }
}

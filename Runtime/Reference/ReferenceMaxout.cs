using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Maxout: output channel c at each position is the maximum of input channels c * Pieces to c * Pieces + Pieces - 1
/// at that position. C channels (or features of a C x 1 x 1 input) become C / Pieces.
/// </summary>
/// <remarks>
/// The backward pass sends each output gradient to the first maximum of its group in channel order, the same tie
/// rule as max pooling. A NaN in a group is taken as the maximum, so NaN propagates.
/// </remarks>
internal static class ReferenceMaxout
{
    /// <summary>Writes each group's maximum to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        MaxoutLayer layer, ReferenceShape inputShape, ReferenceShape outputShape, ReadOnlySpan<T> input, Span<T> output, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int area = inputShape.Height * inputShape.Width;
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> example = input.Slice(n * inputShape.Size, inputShape.Size);
            Span<T> exampleOutput = output.Slice(n * outputShape.Size, outputShape.Size);
            for (int channel = 0; channel < outputShape.Channels; channel++)
            {
                for (int position = 0; position < area; position++)
                {
                    int maximumIndex = FindMaximumIndex(layer.Pieces, area, example, channel, position);
                    exampleOutput[(channel * area) + position] = example[maximumIndex];
                }
            }
        }
    }

    /// <summary>Overwrites <paramref name="inputGradients"/>, routing each output gradient to its group's first maximum.</summary>
    public static void Backward<T>(
        MaxoutLayer layer,
        ReferenceShape inputShape,
        ReferenceShape outputShape,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> inputGradients,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        inputGradients.Clear();
        int area = inputShape.Height * inputShape.Width;
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<T> example = input.Slice(n * inputShape.Size, inputShape.Size);
            ReadOnlySpan<T> exampleOutputGradients = outputGradients.Slice(n * outputShape.Size, outputShape.Size);
            Span<T> exampleInputGradients = inputGradients.Slice(n * inputShape.Size, inputShape.Size);
            for (int channel = 0; channel < outputShape.Channels; channel++)
            {
                for (int position = 0; position < area; position++)
                {
                    int maximumIndex = FindMaximumIndex(layer.Pieces, area, example, channel, position);
                    exampleInputGradients[maximumIndex] = exampleOutputGradients[(channel * area) + position];
                }
            }
        }
    }

    /// <summary>Returns the index within <paramref name="example"/> of the first maximum of output channel <paramref name="channel"/>'s group at <paramref name="position"/>.</summary>
    private static int FindMaximumIndex<T>(int pieces, int area, ReadOnlySpan<T> example, int channel, int position)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int firstIndex = (channel * pieces * area) + position;
        int maximumIndex = firstIndex;
        for (int piece = 1; piece < pieces; piece++)
        {
            int index = firstIndex + (piece * area);

            // Strictly greater, so that a later equal value does not replace the first maximum.
            if (example[index] > example[maximumIndex] || T.IsNaN(example[index]))
            {
                maximumIndex = index;
            }
        }

        return maximumIndex;
    }
}

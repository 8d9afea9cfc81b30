using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Element-wise x for x &gt; 0 and a * x otherwise with learnable slopes a, as PyTorch's <c>PReLU</c>: one slope per
/// channel (per feature of a C x 1 x 1 input, like <c>PReLU(num_parameters=C)</c> on [N, C]), or a single slope
/// when <see cref="PReLULayer.Shared"/> is true. The slopes are the layer's weights.
/// </summary>
/// <remarks>
/// At x = 0 the input derivative is the slope and the slope derivative is x = 0, as in PyTorch's backward.
/// </remarks>
internal static class ReferencePReLU
{
    /// <summary>Writes the activation of every example to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        PReLULayer layer, ReferenceShape shape, ReadOnlySpan<T> slopes, ReadOnlySpan<T> input, Span<T> output, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int area = shape.Height * shape.Width;
        for (int n = 0; n < batchSize; n++)
        {
            for (int channel = 0; channel < shape.Channels; channel++)
            {
                T slope = slopes[SlopeIndex(layer, channel)];
                int start = (n * shape.Size) + (channel * area);
                for (int i = start; i < start + area; i++)
                {
                    output[i] = input[i] > T.Zero ? input[i] : slope * input[i];
                }
            }
        }
    }

    /// <summary>
    /// Overwrites <paramref name="slopeGradients"/> with the gradient with respect to each slope, summed over the
    /// batch and over every position that the slope applies to, and, unless <paramref name="inputGradients"/> is
    /// empty, overwrites it with the gradient with respect to the input.
    /// </summary>
    public static void Backward<T>(
        PReLULayer layer,
        ReferenceShape shape,
        ReadOnlySpan<T> slopes,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> slopeGradients,
        Span<T> inputGradients,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        slopeGradients.Clear();
        bool computeInputGradients = !inputGradients.IsEmpty;
        int area = shape.Height * shape.Width;
        for (int n = 0; n < batchSize; n++)
        {
            for (int channel = 0; channel < shape.Channels; channel++)
            {
                int slopeIndex = SlopeIndex(layer, channel);
                T slope = slopes[slopeIndex];
                int start = (n * shape.Size) + (channel * area);
                for (int i = start; i < start + area; i++)
                {
                    bool positive = input[i] > T.Zero;
                    if (!positive)
                    {
                        slopeGradients[slopeIndex] += outputGradients[i] * input[i];
                    }

                    if (computeInputGradients)
                    {
                        inputGradients[i] = positive ? outputGradients[i] : slope * outputGradients[i];
                    }
                }
            }
        }
    }

    /// <summary>Returns the number of slopes: 1 when shared, else one per channel.</summary>
    public static int SlopeCount(PReLULayer layer, ReferenceShape shape) => layer.Shared ? 1 : shape.Channels;

    private static int SlopeIndex(PReLULayer layer, int channel) => layer.Shared ? 0 : channel;
}

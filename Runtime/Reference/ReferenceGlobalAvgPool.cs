using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Global average pooling: the mean of each channel over its height and width, so C x H x W becomes C x 1 x 1,
/// as PyTorch's <c>AdaptiveAvgPool2d(1)</c> computes it.
/// </summary>
internal static class ReferenceGlobalAvgPool
{
    /// <summary>Writes the mean of each channel of each example to <paramref name="output"/>.</summary>
    public static void Forward<T>(ReferenceShape inputShape, ReadOnlySpan<T> input, Span<T> output, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int area = inputShape.Height * inputShape.Width;
        T divisor = T.CreateChecked(area);
        int planeCount = batchSize * inputShape.Channels;
        for (int plane = 0; plane < planeCount; plane++)
        {
            ReadOnlySpan<T> values = input.Slice(plane * area, area);
            T sum = T.Zero;
            for (int i = 0; i < values.Length; i++)
            {
                sum += values[i];
            }

            output[plane] = sum / divisor;
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradients"/> with the gradient with respect to the input: every cell of a
    /// channel receives that channel's output gradient divided by H x W.
    /// </summary>
    public static void Backward<T>(ReferenceShape inputShape, ReadOnlySpan<T> outputGradients, Span<T> inputGradients, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int area = inputShape.Height * inputShape.Width;
        T divisor = T.CreateChecked(area);
        int planeCount = batchSize * inputShape.Channels;
        for (int plane = 0; plane < planeCount; plane++)
        {
            inputGradients.Slice(plane * area, area).Fill(outputGradients[plane] / divisor);
        }
    }
}

using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Group normalization as PyTorch's <c>GroupNorm</c>: each example is normalized over each group of C / Groups
/// consecutive channels and their H x W values with the biased variance, then scaled and shifted per channel
/// (not per group). Training and evaluation behave the same.
/// </summary>
internal static class ReferenceGroupNorm
{
    /// <summary>Writes the normalized, scaled and shifted examples to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        GroupNormLayer layer, ReferenceShape shape, ReadOnlySpan<T> scale, ReadOnlySpan<T> shift, ReadOnlySpan<T> input, Span<T> output, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceNormalization.ForwardPerExample(
            shape, layer.Groups, shape.Height * shape.Width, T.CreateChecked(layer.Epsilon), scale, shift, input, output, batchSize);
    }

    /// <summary>Overwrites the scale, shift and (unless empty) input gradients.</summary>
    public static void Backward<T>(
        GroupNormLayer layer,
        ReferenceShape shape,
        ReadOnlySpan<T> scale,
        ReadOnlySpan<T> input,
        ReadOnlySpan<T> outputGradients,
        Span<T> scaleGradients,
        Span<T> shiftGradients,
        Span<T> inputGradients,
        int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceNormalization.BackwardPerExample(
            shape, layer.Groups, shape.Height * shape.Width, T.CreateChecked(layer.Epsilon), scale, input, outputGradients,
            scaleGradients, shiftGradients, inputGradients, batchSize);
    }
}

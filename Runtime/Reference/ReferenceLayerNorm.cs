using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Layer normalization as PyTorch's <c>LayerNorm(normalized_shape=[C, H, W])</c>: each example is normalized over
/// all its C x H x W values with the biased variance, then scaled and shifted per element (weights and biases of
/// C x H x W values each). Training and evaluation behave the same.
/// </summary>
internal static class ReferenceLayerNorm
{
    /// <summary>Writes the normalized, scaled and shifted examples to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        LayerNormLayer layer, ReferenceShape shape, ReadOnlySpan<T> scale, ReadOnlySpan<T> shift, ReadOnlySpan<T> input, Span<T> output, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceNormalization.ForwardPerExample(
            shape, groupCount: 1, valuesPerParameter: 1, T.CreateChecked(layer.Epsilon), scale, shift, input, output, batchSize);
    }

    /// <summary>Overwrites the scale, shift and (unless empty) input gradients.</summary>
    public static void Backward<T>(
        LayerNormLayer layer,
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
            shape, groupCount: 1, valuesPerParameter: 1, T.CreateChecked(layer.Epsilon), scale, input, outputGradients,
            scaleGradients, shiftGradients, inputGradients, batchSize);
    }
}

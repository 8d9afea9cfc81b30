using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Instance normalization as PyTorch's <c>InstanceNorm2d</c> with its default <c>track_running_stats=False</c>:
/// each channel of each example is normalized over its H x W values with the biased variance, then, when
/// <see cref="InstanceNormLayer.Affine"/> is true, scaled and shifted per channel. It keeps no running statistics,
/// so training and evaluation behave the same.
/// </summary>
internal static class ReferenceInstanceNorm
{
    /// <summary>Writes the normalized (and, with Affine, scaled and shifted) examples to <paramref name="output"/>.</summary>
    public static void Forward<T>(
        InstanceNormLayer layer, ReferenceShape shape, ReadOnlySpan<T> scale, ReadOnlySpan<T> shift, ReadOnlySpan<T> input, Span<T> output, int batchSize)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceNormalization.ForwardPerExample(
            shape, shape.Channels, shape.Height * shape.Width, T.CreateChecked(layer.Epsilon), scale, shift, input, output, batchSize);
    }

    /// <summary>Overwrites the scale and shift gradients (empty without Affine) and, unless empty, the input gradients.</summary>
    public static void Backward<T>(
        InstanceNormLayer layer,
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
            shape, shape.Channels, shape.Height * shape.Width, T.CreateChecked(layer.Epsilon), scale, input, outputGradients,
            scaleGradients, shiftGradients, inputGradients, batchSize);
    }
}

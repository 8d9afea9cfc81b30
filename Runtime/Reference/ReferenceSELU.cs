using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Element-wise Scale * ELU(x, Alpha) with the fixed constants <see cref="SELULayer.Alpha"/> and
/// <see cref="SELULayer.Scale"/>, as PyTorch's <c>SELU</c>, whose derivative at 0 is Scale * Alpha.
/// </summary>
internal static class ReferenceSELU
{
    /// <summary>Writes the activation of each input element to <paramref name="output"/>.</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceELU.ForwardScaled(T.CreateChecked(SELULayer.Alpha), T.CreateChecked(SELULayer.Scale), input, output);
    }

    /// <summary>Overwrites <paramref name="inputGradients"/> with the output gradient times the derivative.</summary>
    public static void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ReferenceELU.BackwardScaled(
            T.CreateChecked(SELULayer.Alpha), T.CreateChecked(SELULayer.Scale), input, outputGradients, inputGradients);
    }
}

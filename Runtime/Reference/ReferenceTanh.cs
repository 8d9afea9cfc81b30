using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>The hyperbolic tangent, applied element-wise, as PyTorch's <c>Tanh</c>.</summary>
internal static class ReferenceTanh
{
    /// <summary>Writes tanh(x) of each input element to <paramref name="output"/>.</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = T.Tanh(input[i]);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradients"/> with the output gradient times 1 / cosh(x)^2, which equals
    /// 1 - tanh(x)^2 but keeps its relative accuracy where tanh(x) rounds to ±1. It is 0 where cosh overflows.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            T cosh = T.Cosh(input[i]);
            inputGradients[i] = outputGradients[i] / (cosh * cosh);
        }
    }
}

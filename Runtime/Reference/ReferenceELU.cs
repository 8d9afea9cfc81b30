using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Element-wise x for x &gt; 0 and Alpha * (exp(x) - 1) otherwise, as PyTorch's <c>ELU</c>, whose derivative at 0
/// is Alpha (the negative branch's). <see cref="ReferenceSELU"/> reuses it with a scale.
/// </summary>
internal static class ReferenceELU
{
    /// <summary>Writes the activation of each input element to <paramref name="output"/>.</summary>
    public static void Forward<T>(ELULayer layer, ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        ForwardScaled(T.CreateChecked(layer.Alpha), T.One, input, output);
    }

    /// <summary>Overwrites <paramref name="inputGradients"/> with the output gradient times the derivative.</summary>
    public static void Backward<T>(ELULayer layer, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        BackwardScaled(T.CreateChecked(layer.Alpha), T.One, input, outputGradients, inputGradients);
    }

    /// <summary>
    /// Writes scale * x for x &gt; 0 and scale * alpha * (exp(x) - 1) otherwise, with exp(x) - 1 computed
    /// accurately near 0. NaN takes the positive branch and stays NaN, as in PyTorch.
    /// </summary>
    public static void ForwardScaled<T>(T alpha, T scale, ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            T x = input[i];
            output[i] = x <= T.Zero ? scale * alpha * ReferenceMath.ExpM1(x) : scale * x;
        }
    }

    /// <summary>Overwrites <paramref name="inputGradients"/> with the output gradient times scale, or times scale * alpha * exp(x) where x &lt;= 0.</summary>
    public static void BackwardScaled<T>(T alpha, T scale, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            T x = input[i];
            T derivative = x <= T.Zero ? scale * alpha * T.Exp(x) : scale;
            inputGradients[i] = outputGradients[i] * derivative;
        }
    }
}

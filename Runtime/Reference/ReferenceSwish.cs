using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Element-wise x * sigmoid(Beta * x). With Beta = 1 this is PyTorch's <c>SiLU</c>.
/// </summary>
internal static class ReferenceSwish
{
    /// <summary>Writes the activation of each input element to <paramref name="output"/>.</summary>
    public static void Forward<T>(SwishLayer layer, ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T beta = T.CreateChecked(layer.Beta);
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = input[i] * ReferenceMath.Sigmoid(beta * input[i]);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradients"/> with the output gradient times the derivative
    /// s + Beta * x * s * (1 - s), s = sigmoid(Beta * x), computed as s * (1 + Beta * x * sigmoid(-Beta * x)).
    /// </summary>
    public static void Backward<T>(SwishLayer layer, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T beta = T.CreateChecked(layer.Beta);
        for (int i = 0; i < input.Length; i++)
        {
            T scaled = beta * input[i];
            T derivative = ReferenceMath.Sigmoid(scaled) * (T.One + (scaled * ReferenceMath.Sigmoid(-scaled)));
            inputGradients[i] = outputGradients[i] * derivative;
        }
    }
}

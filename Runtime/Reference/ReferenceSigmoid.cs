using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>The logistic sigmoid 1 / (1 + exp(-x)), applied element-wise, as PyTorch's <c>Sigmoid</c>.</summary>
internal static class ReferenceSigmoid
{
    /// <summary>Writes sigmoid(x) of each input element to <paramref name="output"/>, without overflow for large |x|.</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = ReferenceMath.Sigmoid(input[i]);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradients"/> with the output gradient times sigmoid(x) * sigmoid(-x),
    /// which equals sigmoid(x) * (1 - sigmoid(x)) but keeps its relative accuracy where sigmoid(x) rounds to 1.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            T derivative = ReferenceMath.Sigmoid(input[i]) * ReferenceMath.Sigmoid(-input[i]);
            inputGradients[i] = outputGradients[i] * derivative;
        }
    }
}

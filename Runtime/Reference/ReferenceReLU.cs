using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>The rectified linear unit max(0, x), applied element-wise, with its derivative at 0 taken as 0.</summary>
internal static class ReferenceReLU
{
    /// <summary>Writes max(0, x) of each input element to <paramref name="output"/>. NaN stays NaN, as in PyTorch.</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = input[i] <= T.Zero ? T.Zero : input[i];
        }
    }

    /// <summary>
    /// Overwrites <paramref name="inputGradients"/> with the output gradient where the input is positive
    /// and with zero elsewhere, including where the input is exactly 0.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            inputGradients[i] = input[i] > T.Zero ? outputGradients[i] : T.Zero;
        }
    }
}

using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Element-wise x for x &gt; 0 and Slope * x otherwise, as PyTorch's <c>LeakyReLU</c>, whose derivative at 0 is
/// the slope.
/// </summary>
internal static class ReferenceLeakyReLU
{
    /// <summary>Writes the activation of each input element to <paramref name="output"/>.</summary>
    public static void Forward<T>(LeakyReLULayer layer, ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T slope = T.CreateChecked(layer.Slope);
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = input[i] > T.Zero ? input[i] : input[i] * slope;
        }
    }

    /// <summary>Overwrites <paramref name="inputGradients"/> with the output gradient, times the slope where x &lt;= 0.</summary>
    public static void Backward<T>(LeakyReLULayer layer, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        T slope = T.CreateChecked(layer.Slope);
        for (int i = 0; i < input.Length; i++)
        {
            inputGradients[i] = input[i] > T.Zero ? outputGradients[i] : outputGradients[i] * slope;
        }
    }
}

using System.Numerics;

namespace ModelCompiler.Reference;

/// <summary>
/// Element-wise GELU, x * Phi(x) with Phi the standard normal CDF, as PyTorch's <c>GELU</c>: exactly through erf
/// (<see cref="GeluApproximation.None"/>) or with the tanh approximation (<see cref="GeluApproximation.Tanh"/>).
/// Each form uses its own exact derivative.
/// </summary>
/// <remarks>
/// Both forms are evaluated in double and rounded to the element type once. The exact form computes
/// Phi(x) as erfc(-x / sqrt(2)) / 2 (see <see cref="ReferenceMath.NormalCdf"/>), which equals PyTorch's
/// (1 + erf(x / sqrt(2))) / 2 but keeps its relative accuracy for negative x, where 1 + erf cancels. The tanh form
/// computes 0.5 * (1 + tanh(u)) as sigmoid(2u), the same value without that cancellation.
/// </remarks>
internal static class ReferenceGELU
{
    private const double OneOverSqrtTwoPi = 0.3989422804014327;
    private const double SqrtTwoOverPi = 0.7978845608028654;
    private const double TanhCubicCoefficient = 0.044715;

    /// <summary>Writes the activation of each input element to <paramref name="output"/>.</summary>
    public static void Forward<T>(GELULayer layer, ReadOnlySpan<T> input, Span<T> output)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            double x = double.CreateChecked(input[i]);
            double value = layer.Approximation == GeluApproximation.Tanh ? TanhForm(x) : Exact(x);
            output[i] = T.CreateChecked(value);
        }
    }

    /// <summary>Overwrites <paramref name="inputGradients"/> with the output gradient times the derivative of the layer's form.</summary>
    public static void Backward<T>(GELULayer layer, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            double x = double.CreateChecked(input[i]);
            double derivative = layer.Approximation == GeluApproximation.Tanh ? TanhFormDerivative(x) : ExactDerivative(x);
            inputGradients[i] = outputGradients[i] * T.CreateChecked(derivative);
        }
    }

    /// <summary>Returns x * Phi(x).</summary>
    public static double Exact(double x) => x * ReferenceMath.NormalCdf(x);

    /// <summary>Returns Phi(x) + x * phi(x), phi the standard normal density.</summary>
    public static double ExactDerivative(double x)
    {
        double density = ReferenceMath.ExpOfNegativeScaledSquare(x, 0.5) * OneOverSqrtTwoPi;
        return ReferenceMath.NormalCdf(x) + (x * density);
    }

    /// <summary>Returns 0.5 * x * (1 + tanh(u)), u = sqrt(2 / pi) * (x + 0.044715 x^3), computed as x * sigmoid(2u).</summary>
    public static double TanhForm(double x) => x * ReferenceMath.Sigmoid(2.0 * TanhArgument(x));

    /// <summary>
    /// Returns the derivative of <see cref="TanhForm"/>: sigmoid(2u) + 2x * sigmoid(2u) * sigmoid(-2u) * du/dx,
    /// du/dx = sqrt(2 / pi) * (1 + 3 * 0.044715 x^2).
    /// </summary>
    public static double TanhFormDerivative(double x)
    {
        double twiceArgument = 2.0 * TanhArgument(x);
        double gate = ReferenceMath.Sigmoid(twiceArgument);
        double gateSlope = gate * ReferenceMath.Sigmoid(-twiceArgument);

        // Beyond |x| of about 5e102, x^3 overflows and du/dx is infinite while gateSlope is 0, so skip the product.
        if (gateSlope == 0.0)
        {
            return gate;
        }

        double argumentSlope = SqrtTwoOverPi * (1.0 + (3.0 * TanhCubicCoefficient * x * x));
        return gate + (2.0 * x * gateSlope * argumentSlope);
    }

    private static double TanhArgument(double x) => SqrtTwoOverPi * (x + (TanhCubicCoefficient * x * x * x));
}

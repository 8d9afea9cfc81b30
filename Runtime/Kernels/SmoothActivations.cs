using System.Runtime.CompilerServices;

namespace ModelCompiler.Kernels;

/// <summary>Sigmoid, tanh, Swish and GELU, and their gradients.</summary>
/// <remarks>
/// The forward kernels, and the backward kernels that need a transcendental function, evaluate each element in
/// double with <see cref="Math"/> and round once to float, so they are correctly rounded or one ulp off. They are
/// scalar loops. SigmoidBackward and TanhBackward need only arithmetic on the forward output and are vectorized
/// (see <see cref="Elementwise"/>). Every kernel allows its output to be the same span as its input.
/// </remarks>
public static unsafe partial class Activations
{
    private const double SqrtTwoOverPi = 0.79788456080286535588;
    private const double GeluCubicCoefficient = 0.044715;

    /// <summary>
    /// Computes the logistic sigmoid y = 1 / (1 + exp(-x)) per element without overflow: sigmoid(-1000) = 0 and
    /// sigmoid(1000) = 1. NaN gives NaN.
    /// </summary>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        Elementwise.RequireForwardLengths(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = (float)LogisticSigmoid(x[i]);
        }
    }

    /// <summary>Computes the sigmoid gradient dx = dy * y * (1 - y) from the forward output y. dx may be the same span as dy.</summary>
    /// <exception cref="ArgumentException">y and dy differ in length, or dx is shorter than dy.</exception>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.RequireBackwardLengths(y.Length, nameof(y), dy.Length, dx.Length);
        fixed (float* py = y, pdy = dy, pdx = dx)
        {
            Elementwise.Map(default(SigmoidGradientFunction), py, pdy, pdx, dy.Length);
        }
    }

    /// <summary>Computes y = tanh(x) per element; it saturates to exactly -1 and 1.</summary>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        Elementwise.RequireForwardLengths(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            // tanh(|x|) = -m / (2 + m) with m = exp(-2|x|) - 1 in (-1, 0], which neither overflows nor cancels. MathF.Tanh
            // is not used because it was up to 2.1 ulps off in a scan of 2 million points in [-10, 10].
            float value = x[i];
            double minusOne = ExpMinusOne(-2.0 * Math.Abs(value));
            y[i] = (float)Math.CopySign(-minusOne / (2.0 + minusOne), value);
        }
    }

    /// <summary>
    /// Computes the tanh gradient dx = dy * (1 - y^2) from the forward output y, as dy * ((1 - y) * (1 + y)), which
    /// does not cancel where |y| is near 1. dx may be the same span as dy.
    /// </summary>
    /// <exception cref="ArgumentException">y and dy differ in length, or dx is shorter than dy.</exception>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.RequireBackwardLengths(y.Length, nameof(y), dy.Length, dx.Length);
        fixed (float* py = y, pdy = dy, pdx = dx)
        {
            Elementwise.Map(default(TanhGradientFunction), py, pdy, pdx, dy.Length);
        }
    }

    /// <summary>Computes Swish, y = x * sigmoid(beta * x), per element; beta = 1 is SiLU.</summary>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void Swish(ReadOnlySpan<float> x, Span<float> y, float beta)
    {
        Elementwise.RequireForwardLengths(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double value = x[i];
            y[i] = (float)(value * LogisticSigmoid(beta * value));
        }
    }

    /// <summary>
    /// Computes the Swish gradient dx = dy * (s + beta * x * s * (1 - s)), s = sigmoid(beta * x), from the forward
    /// input x. The derivative is evaluated as s * (1 + z * sigmoid(-z)) with z = beta * x, which keeps its relative
    /// accuracy where s rounds to 1. dx may be the same span as dy.
    /// </summary>
    /// <exception cref="ArgumentException">x and dy differ in length, or dx is shorter than dy.</exception>
    public static void SwishBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float beta)
    {
        Elementwise.RequireBackwardLengths(x.Length, nameof(x), dy.Length, dx.Length);
        for (int i = 0; i < dy.Length; i++)
        {
            double scaled = beta * (double)x[i];
            double derivative = LogisticSigmoid(scaled) * (1.0 + (scaled * LogisticSigmoid(-scaled)));
            dx[i] = (float)(dy[i] * derivative);
        }
    }

    /// <summary>
    /// Computes GELU per element, as PyTorch's <c>gelu</c>: exactly, x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2))), or with
    /// <paramref name="tanhApproximation"/>, 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3))).
    /// </summary>
    /// <remarks>
    /// Phi(x) is computed as erfc(-x / sqrt(2)) / 2 and the tanh form as x * sigmoid(2u), which equal the formulas
    /// above without their cancellation for negative x, so small negative outputs keep their relative accuracy.
    /// </remarks>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y, bool tanhApproximation)
    {
        Elementwise.RequireForwardLengths(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double value = x[i];
            double gate = tanhApproximation ? LogisticSigmoid(2.0 * GeluTanhArgument(value)) : GaussianFunctions.NormalCdf(value);
            y[i] = (float)(value * gate);
        }
    }

    /// <summary>
    /// Computes the GELU gradient from the forward input x, with the exact derivative of the chosen form:
    /// Phi(x) + x * phi(x) for the exact form, and d/dx of x * sigmoid(2u) for the tanh form. dx may be the same span as dy.
    /// </summary>
    /// <exception cref="ArgumentException">x and dy differ in length, or dx is shorter than dy.</exception>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool tanhApproximation)
    {
        Elementwise.RequireBackwardLengths(x.Length, nameof(x), dy.Length, dx.Length);
        for (int i = 0; i < dy.Length; i++)
        {
            double value = x[i];
            double derivative = tanhApproximation
                ? GeluTanhDerivative(value)
                : GaussianFunctions.NormalCdf(value) + (value * GaussianFunctions.NormalDensity(value));
            dx[i] = (float)(dy[i] * derivative);
        }
    }

    /// <summary>Returns 1 / (1 + exp(-x)), through exp(x) / (1 + exp(x)) for negative x so that exp never overflows.</summary>
    private static double LogisticSigmoid(double x)
    {
        if (x >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-x));
        }

        double exponential = Math.Exp(x);
        return exponential / (1.0 + exponential);
    }

    /// <summary>Returns u = sqrt(2 / pi) * (x + 0.044715 x^3); for float inputs x^3 stays below the double range.</summary>
    private static double GeluTanhArgument(double x) => SqrtTwoOverPi * (x + (GeluCubicCoefficient * x * x * x));

    /// <summary>
    /// Returns the derivative of x * sigmoid(2u): sigmoid(2u) + 2x * sigmoid(2u) * sigmoid(-2u) * du/dx, with
    /// du/dx = sqrt(2 / pi) * (1 + 3 * 0.044715 x^2).
    /// </summary>
    private static double GeluTanhDerivative(double x)
    {
        double twiceArgument = 2.0 * GeluTanhArgument(x);
        double gate = LogisticSigmoid(twiceArgument);
        double gateSlope = gate * LogisticSigmoid(-twiceArgument);

        // For infinite x, gateSlope is 0 and du/dx infinite; the product's limit is 0.
        if (gateSlope == 0.0)
        {
            return gate;
        }

        double argumentSlope = SqrtTwoOverPi * (1.0 + (3.0 * GeluCubicCoefficient * x * x));
        return gate + (2.0 * x * gateSlope * argumentSlope);
    }

    /// <summary>(y, dy) to dy * (y * (1 - y)).</summary>
    private readonly struct SigmoidGradientFunction : IBinaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float y, float dy) => dy * (y * (1f - y));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply<TOperations, TVector>(TVector y, TVector dy)
            where TOperations : struct, IArithmeticOperations<TVector>
            where TVector : struct =>
            TOperations.Multiply(dy, TOperations.Multiply(y, TOperations.Subtract(TOperations.Broadcast(1f), y)));
    }

    /// <summary>(y, dy) to dy * ((1 - y) * (1 + y)).</summary>
    private readonly struct TanhGradientFunction : IBinaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float y, float dy) => dy * ((1f - y) * (1f + y));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply<TOperations, TVector>(TVector y, TVector dy)
            where TOperations : struct, IArithmeticOperations<TVector>
            where TVector : struct
        {
            TVector one = TOperations.Broadcast(1f);
            return TOperations.Multiply(dy, TOperations.Multiply(TOperations.Subtract(one, y), TOperations.Add(one, y)));
        }
    }
}

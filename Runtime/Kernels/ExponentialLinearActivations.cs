using System.Runtime.CompilerServices;

namespace ModelCompiler.Kernels;

/// <summary>ELU and SELU, and their gradients.</summary>
/// <remarks>
/// The forward kernels and <see cref="EluBackwardFromInput"/> evaluate exp in double and round once to float; they
/// are scalar loops. The gradients from the forward output need only arithmetic and are vectorized (see
/// <see cref="Elementwise"/>). As in PyTorch, an input of exactly 0 takes the exponential branch, whose derivative
/// there is alpha (scale * alpha for SELU), and NaN takes the linear branch, so a NaN input passes dy through.
/// Every kernel allows its output to be the same span as its input.
/// </remarks>
public static unsafe partial class Activations
{
    /// <summary>SELU's scale * alpha, the magnitude of its negative saturation and its derivative at 0.</summary>
    private const double SeluScaleTimesAlpha = SELULayer.Scale * SELULayer.Alpha;

    /// <summary>
    /// Computes ELU, y = x &gt; 0 ? x : alpha * (exp(x) - 1), per element, with exp(x) - 1 accurate near 0 where the
    /// direct subtraction would cancel.
    /// </summary>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void Elu(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        Elementwise.RequireForwardLengths(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            float value = x[i];
            y[i] = value <= 0f ? (float)(alpha * ExpMinusOne(value)) : value;
        }
    }

    /// <summary>
    /// Computes the ELU gradient from the forward output y, dx = y &gt; 0 ? dy : dy * (y + alpha), which holds for
    /// alpha &gt; 0 because y + alpha = alpha * exp(x) where x &lt;= 0. dx may be the same span as dy.
    /// </summary>
    /// <exception cref="ArgumentException">y and dy differ in length, or dx is shorter than dy.</exception>
    public static void EluBackwardFromOutput(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        Elementwise.RequireBackwardLengths(y.Length, nameof(y), dy.Length, dx.Length);
        fixed (float* py = y, pdy = dy, pdx = dx)
        {
            Elementwise.Map(new ExponentialLinearGradientFunction(alpha, 1f), py, pdy, pdx, dy.Length);
        }
    }

    /// <summary>
    /// Computes the ELU gradient from the forward input x, dx = x &gt; 0 ? dy : dy * alpha * exp(x), for any alpha.
    /// dx may be the same span as dy.
    /// </summary>
    /// <exception cref="ArgumentException">x and dy differ in length, or dx is shorter than dy.</exception>
    public static void EluBackwardFromInput(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        Elementwise.RequireBackwardLengths(x.Length, nameof(x), dy.Length, dx.Length);
        for (int i = 0; i < dy.Length; i++)
        {
            float value = x[i];
            dx[i] = value <= 0f ? (float)(dy[i] * (alpha * Math.Exp(value))) : dy[i];
        }
    }

    /// <summary>
    /// Computes SELU, y = scale * (x &gt; 0 ? x : alpha * (exp(x) - 1)), per element, with the constants
    /// <see cref="SELULayer.Scale"/> and <see cref="SELULayer.Alpha"/>.
    /// </summary>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void Selu(ReadOnlySpan<float> x, Span<float> y)
    {
        Elementwise.RequireForwardLengths(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            float value = x[i];
            y[i] = (float)(value <= 0f ? SeluScaleTimesAlpha * ExpMinusOne(value) : SELULayer.Scale * value);
        }
    }

    /// <summary>
    /// Computes the SELU gradient from the forward output y, dx = y &gt; 0 ? scale * dy : dy * (y + scale * alpha).
    /// The constants are rounded to float, so dx is within two float roundings of the exact product. dx may be the
    /// same span as dy.
    /// </summary>
    /// <exception cref="ArgumentException">y and dy differ in length, or dx is shorter than dy.</exception>
    public static void SeluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.RequireBackwardLengths(y.Length, nameof(y), dy.Length, dx.Length);
        fixed (float* py = y, pdy = dy, pdx = dx)
        {
            var function = new ExponentialLinearGradientFunction((float)SeluScaleTimesAlpha, (float)SELULayer.Scale);
            Elementwise.Map(function, py, pdy, pdx, dy.Length);
        }
    }

    /// <summary>
    /// Returns exp(x) - 1 for x &lt;= 0 with a relative error below 3e-11. Near 0, where exp(x) - 1 cancels, it sums
    /// the Taylor series x + x^2/2 + x^3/6, whose truncation error is below 5e-17 relative for |x| &lt; 1e-5.
    /// </summary>
    private static double ExpMinusOne(double x)
    {
        if (x > -1e-5)
        {
            return x * (1.0 + (x * (0.5 + (x / 6.0))));
        }

        // Here exp(x) - 1 has magnitude at least 1e-5 and exp(x) an error of about 1.1e-16, so the ratio is below 3e-11.
        return Math.Exp(x) - 1.0;
    }

    /// <summary>(y, dy) to y &lt;= 0 ? dy * (y + negativeOffset) : dy * positiveScale, the ELU and SELU gradients from the output.</summary>
    /// <remarks>With positiveScale = 1 the positive branch returns dy itself, because dy * 1 is exact.</remarks>
    private readonly struct ExponentialLinearGradientFunction(float negativeOffset, float positiveScale) : IBinaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float y, float dy) => y <= 0f ? dy * (y + negativeOffset) : dy * positiveScale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply<TOperations, TVector>(TVector y, TVector dy)
            where TOperations : struct, IArithmeticOperations<TVector>
            where TVector : struct
        {
            TVector negative = TOperations.Multiply(dy, TOperations.Add(y, TOperations.Broadcast(negativeOffset)));
            TVector positive = TOperations.Multiply(dy, TOperations.Broadcast(positiveScale));
            return TOperations.ConditionalSelect(TOperations.LessThanOrEqual(y, TOperations.Zero), negative, positive);
        }
    }
}

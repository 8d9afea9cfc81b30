using System.Runtime.CompilerServices;

namespace ModelCompiler.Kernels;

/// <summary>
/// Row transforms shared by batch and group normalization: the per-channel affine map of the forward pass, the
/// input gradient through the statistics, and a plain scaling. Each row is contiguous; see <see cref="Elementwise"/>
/// for the vector paths and aliasing.
/// </summary>
/// <remarks>
/// With x_hat = (x - mean) * r for r = 1 / sqrt(variance + epsilon), and g = gamma * dy the gradient of x_hat, the
/// input gradient through the mean and the biased variance of a block of M values is
/// dx = r * (g - mean(g) - x_hat * mean(g * x_hat)). Written as A * dy + B * (x - mean) + C, it needs per row
/// A = r * gamma, B = -r^3 * sum(g * (x - mean)) / M and C = -r * sum(g) / M, which the callers compute in double.
/// </remarks>
internal static unsafe class NormalizationRows
{
    /// <summary>Computes y = (x - mean) * scale + shift over one row; y may be x.</summary>
    public static void Affine(float* x, float* y, int length, float mean, float scale, float shift)
    {
        Elementwise.Map(new AffineFunction(mean, scale, shift), x, y, length);
    }

    /// <summary>Computes dx = dyScale * dy + (deviationScale * (x - mean) + constant) over one row.</summary>
    public static void Gradient(float* x, float* dy, float* dx, int length, float mean, float dyScale, float deviationScale, float constant)
    {
        Elementwise.Map(new GradientFunction(mean, dyScale, deviationScale, constant), x, dy, dx, length);
    }

    /// <summary>Computes result = values * scale over one row; result may be values.</summary>
    public static void Scale(float* values, float* result, int length, float scale)
    {
        Elementwise.Map(new ScaleFunction(scale), values, result, length);
    }

    /// <summary>
    /// Returns the coefficients (A, B, C) of dx = A * dy + B * (x - mean) + C for one channel; see the class remarks.
    /// </summary>
    /// <param name="inverseStd">r = 1 / sqrt(variance + epsilon) of the block.</param>
    /// <param name="gamma">The channel's scale, 1 without an affine map.</param>
    /// <param name="gradientSum">sum(g) over the block.</param>
    /// <param name="gradientDeviationSum">sum(g * (x - mean)) over the block.</param>
    /// <param name="count">M, the number of values in the block.</param>
    public static (float DyScale, float DeviationScale, float Constant) GradientCoefficients(
        double inverseStd, double gamma, double gradientSum, double gradientDeviationSum, long count)
    {
        double dyScale = inverseStd * gamma;
        double deviationScale = -inverseStd * inverseStd * inverseStd * gradientDeviationSum / count;
        double constant = -inverseStd * gradientSum / count;
        return ((float)dyScale, (float)deviationScale, (float)constant);
    }

    /// <summary>x to (x - mean) * scale + shift.</summary>
    private readonly struct AffineFunction(float mean, float scale, float shift) : IUnaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float x) => ScalarMath.MultiplyAdd(x - mean, scale, shift);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply<TOperations, TVector>(TVector x)
            where TOperations : struct, IArithmeticOperations<TVector>
            where TVector : struct =>
            TOperations.MultiplyAdd(
                TOperations.Subtract(x, TOperations.Broadcast(mean)), TOperations.Broadcast(scale), TOperations.Broadcast(shift));
    }

    /// <summary>(x, dy) to dyScale * dy + (deviationScale * (x - mean) + constant).</summary>
    private readonly struct GradientFunction(float mean, float dyScale, float deviationScale, float constant) : IBinaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float x, float dy) =>
            ScalarMath.MultiplyAdd(dyScale, dy, ScalarMath.MultiplyAdd(deviationScale, x - mean, constant));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply<TOperations, TVector>(TVector x, TVector dy)
            where TOperations : struct, IArithmeticOperations<TVector>
            where TVector : struct
        {
            TVector deviation = TOperations.Subtract(x, TOperations.Broadcast(mean));
            TVector partial = TOperations.MultiplyAdd(TOperations.Broadcast(deviationScale), deviation, TOperations.Broadcast(constant));
            return TOperations.MultiplyAdd(TOperations.Broadcast(dyScale), dy, partial);
        }
    }

    /// <summary>x to x * scale.</summary>
    private readonly struct ScaleFunction(float scale) : IUnaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float x) => x * scale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply<TOperations, TVector>(TVector x)
            where TOperations : struct, IArithmeticOperations<TVector>
            where TVector : struct =>
            TOperations.Multiply(x, TOperations.Broadcast(scale));
    }
}

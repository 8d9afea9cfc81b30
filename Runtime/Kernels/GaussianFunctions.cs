namespace ModelCompiler.Kernels;

/// <summary>
/// The standard normal distribution function and density and the complementary error function, in double, for
/// the GELU kernels. .NET has no erf.
/// </summary>
/// <remarks>
/// The relative error of <see cref="Erfc"/> is below 1e-11 for arguments up to 9, where erfc falls to 4e-37,
/// so results rounded to float are correctly rounded or one ulp off. The kernel tests compare it with the reference
/// interpreter's erfc on a grid over [-10, 10]. The methods are scalar: about 60 series terms at worst
/// (arguments near 3), so GELU costs tens of nanoseconds per element.
/// </remarks>
internal static class GaussianFunctions
{
    private const double OneOverSqrtTwo = 0.70710678118654752440;
    private const double OneOverSqrtTwoPi = 0.39894228040143267794;
    private const double TwoOverSqrtPi = 1.12837916709551257390;
    private const double OneOverSqrtPi = 0.56418958354775628695;

    /// <summary>
    /// Below this argument erfc(x) = 1 - erf(x) with erf from its series; at this argument erfc(3) = 2.2e-5, so the
    /// subtraction loses at most 5 of double's 16 digits.
    /// </summary>
    private const double SeriesLimit = 3.0;

    /// <summary>Above this argument erf(x) rounds to 1 in double, because erfc(6.5) = 3.8e-20.</summary>
    private const double ErfOneLimit = 6.5;

    /// <summary>Above this argument erfc(x) is below the smallest subnormal double.</summary>
    private const double ErfcUnderflowLimit = 27.3;

    /// <summary>Returns Phi(x), the probability that a standard normal variable is at most x.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x * OneOverSqrtTwo);

    /// <summary>Returns phi(x) = exp(-x^2 / 2) / sqrt(2 pi).</summary>
    public static double NormalDensity(double x) => Math.Exp(-0.5 * x * x) * OneOverSqrtTwoPi;

    /// <summary>
    /// Returns erfc(x) = 1 - erf(x), with its relative accuracy kept for large x where the subtraction would cancel.
    /// erfc(-infinity) = 2, erfc(infinity) = 0, and NaN gives NaN.
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x < 0)
        {
            return 1.0 + Erf(-x);
        }

        return x < SeriesLimit ? 1.0 - ErfSeries(x) : ErfcContinuedFraction(x);
    }

    /// <summary>Returns erf(x) for x &gt;= 0.</summary>
    private static double Erf(double x)
    {
        if (x < SeriesLimit)
        {
            return ErfSeries(x);
        }

        return x < ErfOneLimit ? 1.0 - ErfcContinuedFraction(x) : 1.0;
    }

    /// <summary>
    /// Returns erf(x) for 0 &lt;= x &lt; 3 from the series erf(x) = 2 / sqrt(pi) * exp(-x^2) * sum over n of
    /// (2 x^2)^n x / (1 * 3 * ... * (2n + 1)). All terms are positive, so the sum does not cancel.
    /// </summary>
    private static double ErfSeries(double x)
    {
        double twiceSquare = 2.0 * x * x;
        double term = x;
        double sum = x;

        // The terms peak near n = x^2 and then shrink by twiceSquare / (2n + 1) each, so 150 is never reached for x < 3.
        for (int n = 1; n < 150; n++)
        {
            term *= twiceSquare / ((2 * n) + 1);
            double next = sum + term;
            if (next == sum)
            {
                break;
            }

            sum = next;
        }

        return TwoOverSqrtPi * Math.Exp(-x * x) * sum;
    }

    /// <summary>
    /// Returns erfc(x) for x &gt;= 3 from Laplace's continued fraction
    /// erfc(x) = exp(-x^2) / sqrt(pi) * 1 / (x + (1/2) / (x + (2/2) / (x + (3/2) / (x + ...)))), evaluated from its tail.
    /// </summary>
    private static double ErfcContinuedFraction(double x)
    {
        if (x > ErfcUnderflowLimit)
        {
            return 0.0;
        }

        // The fraction needs about 180 / x^2 levels to converge in double (20 at x = 3); 300 / x^2 + 12 leaves a margin.
        int depth = (int)Math.Ceiling(300.0 / (x * x)) + 12;
        double tail = x;
        for (int level = depth; level >= 1; level--)
        {
            tail = x + ((0.5 * level) / tail);
        }

        return Math.Exp(-x * x) * OneOverSqrtPi / tail;
    }
}

using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>Comparisons of float kernel results with values computed in double.</summary>
internal static class FloatAccuracy
{
    /// <summary>
    /// Returns the gap between the float nearest to |value| and the next larger float: the ulp at the result. In the
    /// subnormal range it is float.Epsilon, so tiny results are held to an absolute bound of one subnormal step.
    /// </summary>
    public static double Ulp(double value)
    {
        float magnitude = (float)Math.Abs(value);
        if (float.IsInfinity(magnitude))
        {
            magnitude = float.MaxValue;
        }

        return (double)MathF.BitIncrement(magnitude) - magnitude;
    }

    /// <summary>
    /// Returns |actual - expected| in ulps at expected: 0 when both are the same NaN or infinity, and infinity when
    /// only one of them is NaN or infinite.
    /// </summary>
    public static double UlpError(float actual, double expected)
    {
        if (double.IsNaN(expected) || float.IsNaN(actual))
        {
            return double.IsNaN(expected) && float.IsNaN(actual) ? 0.0 : double.PositiveInfinity;
        }

        if (double.IsInfinity(expected) || float.IsInfinity(actual))
        {
            return (double)actual == expected ? 0.0 : double.PositiveInfinity;
        }

        return Math.Abs(actual - expected) / Ulp(expected);
    }

    /// <summary>Asserts that <paramref name="actual"/> is within <paramref name="maxUlps"/> ulps of <paramref name="expected"/>.</summary>
    public static void AssertWithinUlps(float actual, double expected, double maxUlps, string context)
    {
        double error = UlpError(actual, expected);
        Assert.True(error <= maxUlps, $"{context}: got {actual:R}, expected {expected:R}, an error of {error:G3} ulps; at most {maxUlps} allowed.");
    }

    /// <summary>
    /// Asserts |actual - expected| &lt;= gamma(roundings) * |expected| + roundings * float.Epsilon: the bound for a
    /// chain of <paramref name="roundings"/> float operations, each exact up to one rounding relative to its result.
    /// The absolute term covers results in the subnormal range.
    /// </summary>
    public static void AssertRoundings(float actual, double expected, int roundings, string context)
    {
        if (double.IsNaN(expected) || float.IsNaN(actual))
        {
            Assert.True(double.IsNaN(expected), $"{context}: got NaN, expected {expected:R}.");
            Assert.True(float.IsNaN(actual), $"{context}: got {actual:R}, expected NaN.");
            return;
        }

        double allowed = KernelTestData.RoundingBound(roundings, Math.Abs(expected)) + roundings * (double)float.Epsilon;
        Assert.True(
            Math.Abs(actual - expected) <= allowed,
            $"{context}: got {actual:R}, expected {expected:R}, a difference of {Math.Abs(actual - expected):G3}; at most {allowed:G3} allowed ({roundings} roundings).");
    }

    /// <summary>Asserts |actual - expected| &lt;= allowed, with a message that shows both values and the bound.</summary>
    public static void AssertClose(double actual, double expected, double allowed, string context)
    {
        Assert.True(
            Math.Abs(actual - expected) <= allowed,
            $"{context}: got {actual:R}, expected {expected:R}, a difference of {Math.Abs(actual - expected):G3}; at most {allowed:G3} allowed.");
    }

    /// <summary>Asserts that the bit patterns are equal, so NaN matches NaN and -0 differs from +0.</summary>
    public static void AssertBitwiseEqual(float expected, float actual, string context)
    {
        bool equal = float.IsNaN(expected)
            ? float.IsNaN(actual)
            : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual);
        Assert.True(equal, $"{context}: got {actual:R} (bits {BitConverter.SingleToInt32Bits(actual):X8}), expected {expected:R}.");
    }

    /// <summary>Returns <paramref name="count"/> uniform values in [-scale, scale).</summary>
    public static float[] Uniform(Random random, int count, double scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }

        return values;
    }

    /// <summary>Lengths for element-wise sweeps: 0 to 40, which covers every tail of Vector128, Vector256 and Vector512, and a few longer ones.</summary>
    public static IEnumerable<int> SweepLengths() => Enumerable.Range(0, 41).Concat([63, 64, 65, 100, 257]);
}

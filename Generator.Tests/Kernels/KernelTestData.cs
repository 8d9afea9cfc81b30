using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>Seeded inputs and float32 error bounds shared by the kernel tests.</summary>
internal static class KernelTestData
{
    /// <summary>Unit roundoff of float32: a correctly rounded operation has relative error at most 2^-24.</summary>
    public const double UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>Value written after the end of output spans to detect writes past the requested length.</summary>
    public const float Sentinel = 12345.5f;

    /// <summary>
    /// Returns <paramref name="count"/> uniform values in [-1, 1) followed by <paramref name="padding"/> NaNs. A kernel
    /// that reads past the length it was given picks up a NaN, which the comparisons catch.
    /// </summary>
    public static float[] RandomFloats(Random random, int count, int padding = 0)
    {
        var values = new float[count + padding];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        values.AsSpan(count).Fill(float.NaN);
        return values;
    }

    /// <summary>Returns <paramref name="count"/> uniform values in [-1, 1) followed by <paramref name="padding"/> sentinels.</summary>
    public static float[] RandomFloatsWithSentinels(Random random, int count, int padding)
    {
        float[] values = RandomFloats(random, count, padding);
        values.AsSpan(count).Fill(Sentinel);
        return values;
    }

    /// <summary>
    /// Returns the worst-case rounding error of a float32 sum whose terms each pass through at most
    /// <paramref name="roundings"/> roundings: gamma(n) * sum|terms|, with gamma(n) = n * u / (1 - n * u) and u = 2^-24.
    /// This is the standard forward error bound of recursive or blocked summation. It is used with factor 1, not
    /// widened, and each test passes the deepest rounding chain of any kernel path as <paramref name="roundings"/>.
    /// </summary>
    public static double RoundingBound(int roundings, double sumOfMagnitudes)
    {
        double nu = roundings * UnitRoundoff;
        return nu / (1 - nu) * sumOfMagnitudes;
    }

    /// <summary>Asserts that every element after <paramref name="length"/> still contains <see cref="Sentinel"/>.</summary>
    public static void AssertSentinelsIntact(ReadOnlySpan<float> values, int length, string context)
    {
        for (int i = length; i < values.Length; i++)
        {
            Assert.True(
                values[i].Equals(Sentinel),
                $"{context}: element {i} after the {length} requested was overwritten with {values[i]}.");
        }
    }
}

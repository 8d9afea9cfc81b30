using ModelCompiler.Kernels;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

public class GemmTests
{
    public enum Layout
    {
        /// <summary>Gemm.Multiply: a [m x k], b [k x n].</summary>
        Plain,

        /// <summary>Gemm.MultiplyTransposedA: a stored [k x m], b [k x n].</summary>
        TransposedA,

        /// <summary>Gemm.MultiplyTransposedB: a [m x k], b stored [n x k].</summary>
        TransposedB,
    }

    /// <summary>Sizes around the vector widths 4, 8 and 16 and the tile heights and widths of the kernels.</summary>
    private static readonly int[] SweepSizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65];

    /// <summary>The shapes of the LeNet-like network that the generator emits, per layout.</summary>
    public static TheoryData<Layout, int, int, int> NetworkShapes => new()
    {
        { Layout.Plain, 8, 25, 784 },
        { Layout.Plain, 16, 200, 100 },
        { Layout.Plain, 64, 120, 400 },
        { Layout.TransposedB, 64, 400, 120 },
        { Layout.TransposedB, 1, 400, 120 },
        { Layout.TransposedB, 8, 784, 25 },
        { Layout.TransposedB, 16, 100, 200 },
        { Layout.TransposedA, 25, 8, 784 },
        { Layout.TransposedA, 200, 16, 100 },
        { Layout.TransposedA, 120, 64, 400 },
    };

    [Theory]
    [InlineData(Layout.Plain, false)]
    [InlineData(Layout.Plain, true)]
    [InlineData(Layout.TransposedA, false)]
    [InlineData(Layout.TransposedA, true)]
    [InlineData(Layout.TransposedB, false)]
    [InlineData(Layout.TransposedB, true)]
    public void Gemm_SizeSweep_MatchesDoubleReference(Layout layout, bool accumulate)
    {
        var random = new Random(1000 + (int)layout * 2 + (accumulate ? 1 : 0));
        foreach (int m in SweepSizes)
        {
            foreach (int k in SweepSizes)
            {
                foreach (int n in SweepSizes)
                {
                    CheckAgainstReference(random, layout, m, k, n, accumulate);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(NetworkShapes))]
    public void Gemm_NetworkShape_MatchesDoubleReference(Layout layout, int m, int k, int n)
    {
        var random = new Random(m * 1_000_000 + k * 1000 + n);
        CheckAgainstReference(random, layout, m, k, n, accumulate: false);
        CheckAgainstReference(random, layout, m, k, n, accumulate: true);
    }

    [Theory]
    [InlineData(Layout.Plain)]
    [InlineData(Layout.TransposedA)]
    [InlineData(Layout.TransposedB)]
    public void Gemm_EmptyDepth_ClearsOrKeepsC(Layout layout)
    {
        float[] c = [1, 2, 3, 4, 5, 6, KernelTestData.Sentinel];
        Run(layout, [], [], c, 2, 0, 3, accumulate: true);
        Assert.Equal([1f, 2, 3, 4, 5, 6, KernelTestData.Sentinel], c);

        Run(layout, [], [], c, 2, 0, 3, accumulate: false);
        Assert.Equal([0f, 0, 0, 0, 0, 0, KernelTestData.Sentinel], c);
    }

    [Theory]
    [InlineData(Layout.Plain)]
    [InlineData(Layout.TransposedA)]
    [InlineData(Layout.TransposedB)]
    public void Gemm_EmptyRowsOrColumns_WritesNothing(Layout layout)
    {
        float[] c = [KernelTestData.Sentinel];
        Run(layout, [], new float[12], c, 0, 4, 3, accumulate: false);
        Run(layout, new float[12], [], c, 3, 4, 0, accumulate: false);
        Assert.Equal(KernelTestData.Sentinel, c[0]);
    }

    /// <summary>
    /// When k is not a multiple of the vector width, the dot-product kernel reloads lanes it has counted and zeroes
    /// them. Zeroing only one factor would turn 0 * infinity into NaN, so an infinity in those lanes must survive.
    /// </summary>
    [Theory]
    [InlineData(Layout.Plain)]
    [InlineData(Layout.TransposedA)]
    [InlineData(Layout.TransposedB)]
    public void Gemm_InfinityInAnyDepthPosition_GivesInfinity(Layout layout)
    {
        for (int k = 1; k <= 40; k++)
        {
            for (int p = 0; p < k; p++)
            {
                // m = 5 and n = 6 reach both the 4-row tiles and the single-row tail.
                const int m = 5, n = 6;
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                a.AsSpan().Fill(0.5f);
                b.AsSpan().Fill(0.25f);
                a[layout == Layout.TransposedA ? p * m + 4 : 4 * k + p] = float.PositiveInfinity;
                b[layout == Layout.TransposedB ? 5 * k + p : p * n + 5] = float.PositiveInfinity;

                float[] c = new float[m * n];
                Run(layout, a, b, c, m, k, n, accumulate: false);

                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        float expected = i == 4 || j == 5 ? float.PositiveInfinity : 0.125f * k;
                        Assert.True(
                            c[i * n + j] == expected,
                            $"{layout} k={k}, infinity at p={p}: c[{i}, {j}] = {c[i * n + j]}, expected {expected}.");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(Layout.Plain)]
    [InlineData(Layout.TransposedA)]
    [InlineData(Layout.TransposedB)]
    public void Gemm_NegativeSize_ThrowsWithParameterName(Layout layout)
    {
        float[] data = new float[16];
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Run(layout, data, data, data, -1, 2, 2, false)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Run(layout, data, data, data, 2, -1, 2, false)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Run(layout, data, data, data, 2, 2, -1, false)).ParamName);
    }

    [Theory]
    [InlineData(Layout.Plain)]
    [InlineData(Layout.TransposedA)]
    [InlineData(Layout.TransposedB)]
    public void Gemm_ShortSpan_ThrowsWithParameterName(Layout layout)
    {
        const int m = 3, k = 4, n = 5;
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];

        var shortA = Assert.Throws<ArgumentException>(() => Run(layout, a[..^1], b, c, m, k, n, false));
        Assert.Equal("a", shortA.ParamName);
        Assert.Contains("12", shortA.Message);

        var shortB = Assert.Throws<ArgumentException>(() => Run(layout, a, b[..^1], c, m, k, n, false));
        Assert.Equal("b", shortB.ParamName);
        Assert.Contains("20", shortB.Message);

        var shortC = Assert.Throws<ArgumentException>(() => Run(layout, a, b, c[..^1], m, k, n, false));
        Assert.Equal("c", shortC.ParamName);
        Assert.Contains("15", shortC.Message);
    }

    private static void Run(Layout layout, float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate)
    {
        switch (layout)
        {
            case Layout.Plain:
                Gemm.Multiply(a, b, c, m, k, n, accumulate);
                break;
            case Layout.TransposedA:
                Gemm.MultiplyTransposedA(a, b, c, m, k, n, accumulate);
                break;
            default:
                Gemm.MultiplyTransposedB(a, b, c, m, k, n, accumulate);
                break;
        }
    }

    /// <summary>
    /// Runs one product on random inputs padded with NaN (reading past a matrix would poison the result) into a c
    /// followed by sentinels, and compares each element with a double-precision reference.
    /// </summary>
    private static void CheckAgainstReference(Random random, Layout layout, int m, int k, int n, bool accumulate)
    {
        float[] a = KernelTestData.RandomFloats(random, m * k, padding: 3);
        float[] b = KernelTestData.RandomFloats(random, k * n, padding: 3);
        float[] c = KernelTestData.RandomFloatsWithSentinels(random, m * n, padding: 3);
        float[] initial = (float[])c.Clone();

        Run(layout, a, b, c, m, k, n, accumulate);

        string context = $"{layout} m={m} k={k} n={n} accumulate={accumulate}";
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = accumulate ? initial[i * n + j] : 0;
                double magnitude = Math.Abs(expected);
                for (int p = 0; p < k; p++)
                {
                    double term = (double)AElement(layout, a, i, p, m, k) * BElement(layout, b, p, j, k, n);
                    expected += term;
                    magnitude += Math.Abs(term);
                }

                // Each product, the additions along k and the final addition to c round at most k + 2 times on any
                // kernel path (FMA, separate multiply and add, or a blocked sum with a short reduction tree).
                double bound = KernelTestData.RoundingBound(k + 2, magnitude);
                double error = Math.Abs(c[i * n + j] - expected);
                Assert.True(
                    error <= bound,
                    $"{context}: c[{i}, {j}] = {c[i * n + j]}, expected {expected}, error {error} exceeds {bound}.");
            }
        }

        KernelTestData.AssertSentinelsIntact(c, m * n, context);
    }

    private static float AElement(Layout layout, float[] a, int i, int p, int m, int k) =>
        layout == Layout.TransposedA ? a[p * m + i] : a[i * k + p];

    private static float BElement(Layout layout, float[] b, int p, int j, int k, int n) =>
        layout == Layout.TransposedB ? b[j * k + p] : b[p * n + j];
}

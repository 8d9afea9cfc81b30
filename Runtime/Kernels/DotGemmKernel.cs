using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelCompiler.Kernels;

/// <summary>
/// The register-blocked kernel behind <see cref="Gemm.MultiplyTransposedB"/>: c[i, j] (+)= dot(row i of a, row j of b),
/// with a stored [m x k] and b stored [n x k].
/// </summary>
/// <remarks>
/// A tile computes 4 rows of a (2 rows on x64 without AVX-512) against 4 rows of b with one vector accumulator
/// per pair along k, then reduces each accumulator to one float. When k is not a multiple of Count, the last step
/// loads the vectors that end at k, which overlap the previous step. It zeroes the lanes already counted in both a
/// and b, because zeroing only one would turn 0 * infinity into NaN. The caller guarantees k &gt;= Count.
/// </remarks>
internal static unsafe class DotGemmKernel<TOperations, TVector>
    where TOperations : struct, IVectorOperations<TVector>
    where TVector : struct
{
    public static void Run(float* a, float* b, float* c, int m, int k, int n, bool accumulate)
    {
        // A 4 x 4 tile needs 21 vector registers. x64 has 32 with AVX-512 and Arm64 always has 32, but x64 without
        // AVX-512 has 16. There the tile spills to the stack, and 2 x 4 tiles ran about 35% faster on Zen 4 with
        // AVX-512 disabled (m = 64, k = 400, n = 120).
        int i = 0;
        if (Avx512F.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            for (; i <= m - 4; i += 4)
            {
                float* aRows = a + (nint)i * k;
                float* cRows = c + (nint)i * n;
                int j = 0;
                for (; j <= n - 4; j += 4)
                {
                    Tile4x4(aRows, b + (nint)j * k, cRows + j, k, n, accumulate);
                }

                for (; j < n; j++)
                {
                    Tile4x1(aRows, b + (nint)j * k, cRows + j, k, n, accumulate);
                }
            }
        }
        else
        {
            for (; i <= m - 2; i += 2)
            {
                float* aRows = a + (nint)i * k;
                float* cRows = c + (nint)i * n;
                int j = 0;
                for (; j <= n - 4; j += 4)
                {
                    Tile2x4(aRows, b + (nint)j * k, cRows + j, k, n, accumulate);
                }

                for (; j < n; j++)
                {
                    StoreDot(aRows, b + (nint)j * k, cRows + j, k, accumulate);
                    StoreDot(aRows + k, b + (nint)j * k, cRows + n + j, k, accumulate);
                }
            }
        }

        for (; i < m; i++)
        {
            float* aRow = a + (nint)i * k;
            float* cRow = c + (nint)i * n;
            int j = 0;
            for (; j <= n - 4; j += 4)
            {
                Tile1x4(aRow, b + (nint)j * k, cRow + j, k, accumulate);
            }

            for (; j < n; j++)
            {
                StoreDot(aRow, b + (nint)j * k, cRow + j, k, accumulate);
            }
        }
    }

    private static void StoreDot(float* aRow, float* bRow, float* destination, int k, bool accumulate)
    {
        float dot = VectorMathKernel<TOperations, TVector>.Dot(aRow, bRow, k);
        *destination = accumulate ? *destination + dot : dot;
    }

    private static void Tile4x4(float* a, float* b, float* c, int k, int n, bool accumulate)
    {
        int width = TOperations.Count;
        float* a1 = a + k, a2 = a + 2 * (nint)k, a3 = a + 3 * (nint)k;
        float* b1 = b + k, b2 = b + 2 * (nint)k, b3 = b + 3 * (nint)k;
        TVector c00 = TOperations.Zero, c01 = TOperations.Zero, c02 = TOperations.Zero, c03 = TOperations.Zero;
        TVector c10 = TOperations.Zero, c11 = TOperations.Zero, c12 = TOperations.Zero, c13 = TOperations.Zero;
        TVector c20 = TOperations.Zero, c21 = TOperations.Zero, c22 = TOperations.Zero, c23 = TOperations.Zero;
        TVector c30 = TOperations.Zero, c31 = TOperations.Zero, c32 = TOperations.Zero, c33 = TOperations.Zero;

        int p = 0;
        for (; p <= k - width; p += width)
        {
            TVector x0 = TOperations.Load(a + p);
            TVector x1 = TOperations.Load(a1 + p);
            TVector x2 = TOperations.Load(a2 + p);
            TVector x3 = TOperations.Load(a3 + p);

            TVector y = TOperations.Load(b + p);
            c00 = TOperations.MultiplyAdd(x0, y, c00);
            c10 = TOperations.MultiplyAdd(x1, y, c10);
            c20 = TOperations.MultiplyAdd(x2, y, c20);
            c30 = TOperations.MultiplyAdd(x3, y, c30);

            y = TOperations.Load(b1 + p);
            c01 = TOperations.MultiplyAdd(x0, y, c01);
            c11 = TOperations.MultiplyAdd(x1, y, c11);
            c21 = TOperations.MultiplyAdd(x2, y, c21);
            c31 = TOperations.MultiplyAdd(x3, y, c31);

            y = TOperations.Load(b2 + p);
            c02 = TOperations.MultiplyAdd(x0, y, c02);
            c12 = TOperations.MultiplyAdd(x1, y, c12);
            c22 = TOperations.MultiplyAdd(x2, y, c22);
            c32 = TOperations.MultiplyAdd(x3, y, c32);

            y = TOperations.Load(b3 + p);
            c03 = TOperations.MultiplyAdd(x0, y, c03);
            c13 = TOperations.MultiplyAdd(x1, y, c13);
            c23 = TOperations.MultiplyAdd(x2, y, c23);
            c33 = TOperations.MultiplyAdd(x3, y, c33);
        }

        if (p < k)
        {
            // Same step as the loop body, on the overlapping last vectors with the counted lanes zeroed.
            TVector lanes = TOperations.TailMask(k - p);
            p = k - width;
            TVector x0 = TOperations.BitwiseAnd(TOperations.Load(a + p), lanes);
            TVector x1 = TOperations.BitwiseAnd(TOperations.Load(a1 + p), lanes);
            TVector x2 = TOperations.BitwiseAnd(TOperations.Load(a2 + p), lanes);
            TVector x3 = TOperations.BitwiseAnd(TOperations.Load(a3 + p), lanes);

            TVector y = TOperations.BitwiseAnd(TOperations.Load(b + p), lanes);
            c00 = TOperations.MultiplyAdd(x0, y, c00);
            c10 = TOperations.MultiplyAdd(x1, y, c10);
            c20 = TOperations.MultiplyAdd(x2, y, c20);
            c30 = TOperations.MultiplyAdd(x3, y, c30);

            y = TOperations.BitwiseAnd(TOperations.Load(b1 + p), lanes);
            c01 = TOperations.MultiplyAdd(x0, y, c01);
            c11 = TOperations.MultiplyAdd(x1, y, c11);
            c21 = TOperations.MultiplyAdd(x2, y, c21);
            c31 = TOperations.MultiplyAdd(x3, y, c31);

            y = TOperations.BitwiseAnd(TOperations.Load(b2 + p), lanes);
            c02 = TOperations.MultiplyAdd(x0, y, c02);
            c12 = TOperations.MultiplyAdd(x1, y, c12);
            c22 = TOperations.MultiplyAdd(x2, y, c22);
            c32 = TOperations.MultiplyAdd(x3, y, c32);

            y = TOperations.BitwiseAnd(TOperations.Load(b3 + p), lanes);
            c03 = TOperations.MultiplyAdd(x0, y, c03);
            c13 = TOperations.MultiplyAdd(x1, y, c13);
            c23 = TOperations.MultiplyAdd(x2, y, c23);
            c33 = TOperations.MultiplyAdd(x3, y, c33);
        }

        StoreFour(SumFour(c00, c01, c02, c03), c, accumulate);
        StoreFour(SumFour(c10, c11, c12, c13), c + n, accumulate);
        StoreFour(SumFour(c20, c21, c22, c23), c + 2 * (nint)n, accumulate);
        StoreFour(SumFour(c30, c31, c32, c33), c + 3 * (nint)n, accumulate);
    }

    private static void Tile2x4(float* a, float* b, float* c, int k, int n, bool accumulate)
    {
        int width = TOperations.Count;
        float* a1 = a + k;
        float* b1 = b + k, b2 = b + 2 * (nint)k, b3 = b + 3 * (nint)k;
        TVector c00 = TOperations.Zero, c01 = TOperations.Zero, c02 = TOperations.Zero, c03 = TOperations.Zero;
        TVector c10 = TOperations.Zero, c11 = TOperations.Zero, c12 = TOperations.Zero, c13 = TOperations.Zero;

        int p = 0;
        for (; p <= k - width; p += width)
        {
            TVector x0 = TOperations.Load(a + p);
            TVector x1 = TOperations.Load(a1 + p);

            TVector y = TOperations.Load(b + p);
            c00 = TOperations.MultiplyAdd(x0, y, c00);
            c10 = TOperations.MultiplyAdd(x1, y, c10);

            y = TOperations.Load(b1 + p);
            c01 = TOperations.MultiplyAdd(x0, y, c01);
            c11 = TOperations.MultiplyAdd(x1, y, c11);

            y = TOperations.Load(b2 + p);
            c02 = TOperations.MultiplyAdd(x0, y, c02);
            c12 = TOperations.MultiplyAdd(x1, y, c12);

            y = TOperations.Load(b3 + p);
            c03 = TOperations.MultiplyAdd(x0, y, c03);
            c13 = TOperations.MultiplyAdd(x1, y, c13);
        }

        if (p < k)
        {
            TVector lanes = TOperations.TailMask(k - p);
            p = k - width;
            TVector x0 = TOperations.BitwiseAnd(TOperations.Load(a + p), lanes);
            TVector x1 = TOperations.BitwiseAnd(TOperations.Load(a1 + p), lanes);

            TVector y = TOperations.BitwiseAnd(TOperations.Load(b + p), lanes);
            c00 = TOperations.MultiplyAdd(x0, y, c00);
            c10 = TOperations.MultiplyAdd(x1, y, c10);

            y = TOperations.BitwiseAnd(TOperations.Load(b1 + p), lanes);
            c01 = TOperations.MultiplyAdd(x0, y, c01);
            c11 = TOperations.MultiplyAdd(x1, y, c11);

            y = TOperations.BitwiseAnd(TOperations.Load(b2 + p), lanes);
            c02 = TOperations.MultiplyAdd(x0, y, c02);
            c12 = TOperations.MultiplyAdd(x1, y, c12);

            y = TOperations.BitwiseAnd(TOperations.Load(b3 + p), lanes);
            c03 = TOperations.MultiplyAdd(x0, y, c03);
            c13 = TOperations.MultiplyAdd(x1, y, c13);
        }

        StoreFour(SumFour(c00, c01, c02, c03), c, accumulate);
        StoreFour(SumFour(c10, c11, c12, c13), c + n, accumulate);
    }

    private static void Tile4x1(float* a, float* b, float* c, int k, int n, bool accumulate)
    {
        int width = TOperations.Count;
        float* a1 = a + k, a2 = a + 2 * (nint)k, a3 = a + 3 * (nint)k;
        TVector c0 = TOperations.Zero, c1 = TOperations.Zero, c2 = TOperations.Zero, c3 = TOperations.Zero;

        int p = 0;
        for (; p <= k - width; p += width)
        {
            TVector y = TOperations.Load(b + p);
            c0 = TOperations.MultiplyAdd(TOperations.Load(a + p), y, c0);
            c1 = TOperations.MultiplyAdd(TOperations.Load(a1 + p), y, c1);
            c2 = TOperations.MultiplyAdd(TOperations.Load(a2 + p), y, c2);
            c3 = TOperations.MultiplyAdd(TOperations.Load(a3 + p), y, c3);
        }

        if (p < k)
        {
            TVector lanes = TOperations.TailMask(k - p);
            p = k - width;
            TVector y = TOperations.BitwiseAnd(TOperations.Load(b + p), lanes);
            c0 = TOperations.MultiplyAdd(TOperations.BitwiseAnd(TOperations.Load(a + p), lanes), y, c0);
            c1 = TOperations.MultiplyAdd(TOperations.BitwiseAnd(TOperations.Load(a1 + p), lanes), y, c1);
            c2 = TOperations.MultiplyAdd(TOperations.BitwiseAnd(TOperations.Load(a2 + p), lanes), y, c2);
            c3 = TOperations.MultiplyAdd(TOperations.BitwiseAnd(TOperations.Load(a3 + p), lanes), y, c3);
        }

        Vector128<float> sums = SumFour(c0, c1, c2, c3);
        c[0] = accumulate ? c[0] + sums.GetElement(0) : sums.GetElement(0);
        c[n] = accumulate ? c[n] + sums.GetElement(1) : sums.GetElement(1);
        c[2 * (nint)n] = accumulate ? c[2 * (nint)n] + sums.GetElement(2) : sums.GetElement(2);
        c[3 * (nint)n] = accumulate ? c[3 * (nint)n] + sums.GetElement(3) : sums.GetElement(3);
    }

    private static void Tile1x4(float* a, float* b, float* c, int k, bool accumulate)
    {
        int width = TOperations.Count;
        float* b1 = b + k, b2 = b + 2 * (nint)k, b3 = b + 3 * (nint)k;
        TVector c0 = TOperations.Zero, c1 = TOperations.Zero, c2 = TOperations.Zero, c3 = TOperations.Zero;

        int p = 0;
        for (; p <= k - width; p += width)
        {
            TVector x = TOperations.Load(a + p);
            c0 = TOperations.MultiplyAdd(x, TOperations.Load(b + p), c0);
            c1 = TOperations.MultiplyAdd(x, TOperations.Load(b1 + p), c1);
            c2 = TOperations.MultiplyAdd(x, TOperations.Load(b2 + p), c2);
            c3 = TOperations.MultiplyAdd(x, TOperations.Load(b3 + p), c3);
        }

        if (p < k)
        {
            TVector lanes = TOperations.TailMask(k - p);
            p = k - width;
            TVector x = TOperations.BitwiseAnd(TOperations.Load(a + p), lanes);
            c0 = TOperations.MultiplyAdd(x, TOperations.BitwiseAnd(TOperations.Load(b + p), lanes), c0);
            c1 = TOperations.MultiplyAdd(x, TOperations.BitwiseAnd(TOperations.Load(b1 + p), lanes), c1);
            c2 = TOperations.MultiplyAdd(x, TOperations.BitwiseAnd(TOperations.Load(b2 + p), lanes), c2);
            c3 = TOperations.MultiplyAdd(x, TOperations.BitwiseAnd(TOperations.Load(b3 + p), lanes), c3);
        }

        StoreFour(SumFour(c0, c1, c2, c3), c, accumulate);
    }

    /// <summary>Returns the lane sums of four vectors as one Vector128: element r is the sum of the lanes of vector r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> SumFour(TVector v0, TVector v1, TVector v2, TVector v3)
    {
        Vector128<float> f0 = TOperations.FoldTo128(v0);
        Vector128<float> f1 = TOperations.FoldTo128(v1);
        Vector128<float> f2 = TOperations.FoldTo128(v2);
        Vector128<float> f3 = TOperations.FoldTo128(v3);

        // A pairwise add of (x, y) returns (x0 + x1, x2 + x3, y0 + y1, y2 + y3), so two rounds give the four sums.
        if (Sse3.IsSupported)
        {
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(f0, f1), Sse3.HorizontalAdd(f2, f3));
        }

        // NOTE: the Arm64 branch compiles here but has never run, because the tests run only on x64.
        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(f0, f1), AdvSimd.Arm64.AddPairwise(f2, f3));
        }

        return Vector128.Create(Vector128.Sum(f0), Vector128.Sum(f1), Vector128.Sum(f2), Vector128.Sum(f3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour(Vector128<float> sums, float* destination, bool accumulate)
    {
        if (accumulate)
        {
            sums += Vector128.Load(destination);
        }

        sums.Store(destination);
    }
}

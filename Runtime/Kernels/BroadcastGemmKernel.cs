using System.Runtime.CompilerServices;

namespace ModelCompiler.Kernels;

/// <summary>
/// The register-blocked kernel behind <see cref="Gemm.Multiply"/> and <see cref="Gemm.MultiplyTransposedA"/>:
/// c[i, j] (+)= sum over p of a(i, p) * b[p, j], with b row-major [k x n].
/// </summary>
/// <remarks>
/// Element a(i, p) is read at a[i * aRowStride + p * aDepthStride], so one kernel serves a stored [m x k]
/// (strides k, 1) and a stored [k x m] (strides 1, m). A tile keeps 4 rows x 3 vectors of c in registers. At each
/// step p it loads 3 vectors of row p of b and broadcasts 4 values of a. Columns left over after the 3-vector tiles
/// go through 1-vector tiles. The last partial vector is computed at column n - Count, overlapping columns that
/// are already done, and only its new lanes are written. The caller guarantees n &gt;= Count and k &gt;= 1.
/// </remarks>
internal static unsafe class BroadcastGemmKernel<TOperations, TVector>
    where TOperations : struct, IVectorOperations<TVector>
    where TVector : struct
{
    public static void Run(
        float* a, nint aRowStride, nint aDepthStride, float* b, float* c, int m, int k, int n, bool accumulate)
    {
        int width = TOperations.Count;
        TVector allLanes = TOperations.TailMask(width);
        TVector tailLanes = TOperations.TailMask(n % width == 0 ? width : n % width);

        int i = 0;
        for (; i <= m - 4; i += 4)
        {
            float* aRows = a + i * aRowStride;
            float* cRows = c + (nint)i * n;
            int j = 0;
            for (; j <= n - 3 * width; j += 3 * width)
            {
                Tile4x3(aRows, aRowStride, aDepthStride, b + j, cRows + j, k, n, accumulate);
            }

            for (; j <= n - width; j += width)
            {
                Tile4x1(aRows, aRowStride, aDepthStride, b + j, cRows + j, k, n, accumulate, allLanes);
            }

            if (j < n)
            {
                int last = n - width;
                Tile4x1(aRows, aRowStride, aDepthStride, b + last, cRows + last, k, n, accumulate, tailLanes);
            }
        }

        for (; i < m; i++)
        {
            float* aRow = a + i * aRowStride;
            float* cRow = c + (nint)i * n;
            int j = 0;
            for (; j <= n - 3 * width; j += 3 * width)
            {
                Tile1x3(aRow, aDepthStride, b + j, cRow + j, k, n, accumulate);
            }

            for (; j <= n - width; j += width)
            {
                Tile1x1(aRow, aDepthStride, b + j, cRow + j, k, n, accumulate, allLanes);
            }

            if (j < n)
            {
                int last = n - width;
                Tile1x1(aRow, aDepthStride, b + last, cRow + last, k, n, accumulate, tailLanes);
            }
        }
    }

    private static void Tile4x3(
        float* a, nint aRowStride, nint aDepthStride, float* b, float* c, int k, int n, bool accumulate)
    {
        int width = TOperations.Count;
        nint row2 = 2 * aRowStride;
        nint row3 = 3 * aRowStride;
        TVector c00 = TOperations.Zero, c01 = TOperations.Zero, c02 = TOperations.Zero;
        TVector c10 = TOperations.Zero, c11 = TOperations.Zero, c12 = TOperations.Zero;
        TVector c20 = TOperations.Zero, c21 = TOperations.Zero, c22 = TOperations.Zero;
        TVector c30 = TOperations.Zero, c31 = TOperations.Zero, c32 = TOperations.Zero;

        for (int p = 0; p < k; p++)
        {
            TVector b0 = TOperations.Load(b);
            TVector b1 = TOperations.Load(b + width);
            TVector b2 = TOperations.Load(b + 2 * width);

            TVector x = TOperations.Broadcast(a[0]);
            c00 = TOperations.MultiplyAdd(x, b0, c00);
            c01 = TOperations.MultiplyAdd(x, b1, c01);
            c02 = TOperations.MultiplyAdd(x, b2, c02);

            x = TOperations.Broadcast(a[aRowStride]);
            c10 = TOperations.MultiplyAdd(x, b0, c10);
            c11 = TOperations.MultiplyAdd(x, b1, c11);
            c12 = TOperations.MultiplyAdd(x, b2, c12);

            x = TOperations.Broadcast(a[row2]);
            c20 = TOperations.MultiplyAdd(x, b0, c20);
            c21 = TOperations.MultiplyAdd(x, b1, c21);
            c22 = TOperations.MultiplyAdd(x, b2, c22);

            x = TOperations.Broadcast(a[row3]);
            c30 = TOperations.MultiplyAdd(x, b0, c30);
            c31 = TOperations.MultiplyAdd(x, b1, c31);
            c32 = TOperations.MultiplyAdd(x, b2, c32);

            a += aDepthStride;
            b += n;
        }

        Store(c00, c, accumulate);
        Store(c01, c + width, accumulate);
        Store(c02, c + 2 * width, accumulate);
        c += n;
        Store(c10, c, accumulate);
        Store(c11, c + width, accumulate);
        Store(c12, c + 2 * width, accumulate);
        c += n;
        Store(c20, c, accumulate);
        Store(c21, c + width, accumulate);
        Store(c22, c + 2 * width, accumulate);
        c += n;
        Store(c30, c, accumulate);
        Store(c31, c + width, accumulate);
        Store(c32, c + 2 * width, accumulate);
    }

    private static void Tile4x1(
        float* a, nint aRowStride, nint aDepthStride, float* b, float* c, int k, int n, bool accumulate, TVector lanes)
    {
        nint row2 = 2 * aRowStride;
        nint row3 = 3 * aRowStride;
        TVector c0 = TOperations.Zero, c1 = TOperations.Zero, c2 = TOperations.Zero, c3 = TOperations.Zero;

        for (int p = 0; p < k; p++)
        {
            TVector b0 = TOperations.Load(b);
            c0 = TOperations.MultiplyAdd(TOperations.Broadcast(a[0]), b0, c0);
            c1 = TOperations.MultiplyAdd(TOperations.Broadcast(a[aRowStride]), b0, c1);
            c2 = TOperations.MultiplyAdd(TOperations.Broadcast(a[row2]), b0, c2);
            c3 = TOperations.MultiplyAdd(TOperations.Broadcast(a[row3]), b0, c3);
            a += aDepthStride;
            b += n;
        }

        StoreLanes(c0, c, accumulate, lanes);
        StoreLanes(c1, c + n, accumulate, lanes);
        StoreLanes(c2, c + 2 * (nint)n, accumulate, lanes);
        StoreLanes(c3, c + 3 * (nint)n, accumulate, lanes);
    }

    private static void Tile1x3(float* a, nint aDepthStride, float* b, float* c, int k, int n, bool accumulate)
    {
        int width = TOperations.Count;
        TVector c0 = TOperations.Zero, c1 = TOperations.Zero, c2 = TOperations.Zero;

        for (int p = 0; p < k; p++)
        {
            TVector x = TOperations.Broadcast(a[0]);
            c0 = TOperations.MultiplyAdd(x, TOperations.Load(b), c0);
            c1 = TOperations.MultiplyAdd(x, TOperations.Load(b + width), c1);
            c2 = TOperations.MultiplyAdd(x, TOperations.Load(b + 2 * width), c2);
            a += aDepthStride;
            b += n;
        }

        Store(c0, c, accumulate);
        Store(c1, c + width, accumulate);
        Store(c2, c + 2 * width, accumulate);
    }

    private static void Tile1x1(float* a, nint aDepthStride, float* b, float* c, int k, int n, bool accumulate, TVector lanes)
    {
        // Two accumulators over alternate steps halve the dependency chain through the FMA latency.
        TVector even = TOperations.Zero, odd = TOperations.Zero;
        int p = 0;
        for (; p <= k - 2; p += 2)
        {
            even = TOperations.MultiplyAdd(TOperations.Broadcast(a[0]), TOperations.Load(b), even);
            odd = TOperations.MultiplyAdd(TOperations.Broadcast(a[aDepthStride]), TOperations.Load(b + n), odd);
            a += 2 * aDepthStride;
            b += 2 * (nint)n;
        }

        if (p < k)
        {
            even = TOperations.MultiplyAdd(TOperations.Broadcast(a[0]), TOperations.Load(b), even);
        }

        StoreLanes(TOperations.Add(even, odd), c, accumulate, lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(TVector sum, float* destination, bool accumulate)
    {
        if (accumulate)
        {
            sum = TOperations.Add(TOperations.Load(destination), sum);
        }

        TOperations.Store(sum, destination);
    }

    /// <summary>Stores <paramref name="sum"/> (added to the old values when accumulating) in the lanes set in <paramref name="lanes"/> only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLanes(TVector sum, float* destination, bool accumulate, TVector lanes)
    {
        TVector old = TOperations.Load(destination);
        TVector value = accumulate ? TOperations.Add(old, sum) : sum;
        TOperations.Store(TOperations.ConditionalSelect(lanes, value, old), destination);
    }
}

using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>
/// Single-precision matrix multiplication on row-major, dense spans: c[m x n] = (accumulate ? c : 0) + op(a) * op(b).
/// </summary>
/// <remarks>
/// Multiply and MultiplyTransposedA use the widest accelerated vector type that fits a row of c (Vector512,
/// Vector256, then Vector128). MultiplyTransposedB, and Multiply with n = 1, vectorize along k with Vector256 or
/// Vector128. All use fused multiply-add when the hardware has it, and plain scalar loops when no vector type
/// fits. Sums run in float32, in an order that depends on the path, so results agree with a double-precision
/// reference to within float rounding, not bit for bit across machines. c must not overlap a or b. Only the first
/// m * n elements of c are written, and longer spans are allowed for every argument.
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>Computes c[m x n] = (accumulate ? c : 0) + a[m x k] * b[k x n].</summary>
    /// <exception cref="ArgumentOutOfRangeException">m, k or n is negative.</exception>
    /// <exception cref="ArgumentException">a, b or c is shorter than its matrix.</exception>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        ValidateSizes(m, k, n);
        KernelArguments.RequireMatrixLength(a.Length, m, k, nameof(a), nameof(m), nameof(k));
        KernelArguments.RequireMatrixLength(b.Length, k, n, nameof(b), nameof(k), nameof(n));
        KernelArguments.RequireMatrixLength(c.Length, m, n, nameof(c), nameof(m), nameof(n));
        if (IsTrivial(c, m, k, n, accumulate))
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (n == 1)
            {
                // b [k x 1] has the same memory layout as b stored [1 x k], so the dot-product kernel computes c.
                MultiplyTransposedBCore(pa, pb, pc, m, k, n, accumulate);
            }
            else
            {
                MultiplyBroadcastCore(pa, k, 1, pb, pc, m, k, n, accumulate);
            }
        }
    }

    /// <summary>Computes c[m x n] = (accumulate ? c : 0) + transpose(a) * b, where a is stored [k x m] and b is [k x n].</summary>
    /// <exception cref="ArgumentOutOfRangeException">m, k or n is negative.</exception>
    /// <exception cref="ArgumentException">a, b or c is shorter than its matrix.</exception>
    public static void MultiplyTransposedA(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        ValidateSizes(m, k, n);
        KernelArguments.RequireMatrixLength(a.Length, k, m, nameof(a), nameof(k), nameof(m));
        KernelArguments.RequireMatrixLength(b.Length, k, n, nameof(b), nameof(k), nameof(n));
        KernelArguments.RequireMatrixLength(c.Length, m, n, nameof(c), nameof(m), nameof(n));
        if (IsTrivial(c, m, k, n, accumulate))
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            MultiplyBroadcastCore(pa, 1, m, pb, pc, m, k, n, accumulate);
        }
    }

    /// <summary>Computes c[m x n] = (accumulate ? c : 0) + a * transpose(b), where a is [m x k] and b is stored [n x k].</summary>
    /// <exception cref="ArgumentOutOfRangeException">m, k or n is negative.</exception>
    /// <exception cref="ArgumentException">a, b or c is shorter than its matrix.</exception>
    public static void MultiplyTransposedB(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate)
    {
        ValidateSizes(m, k, n);
        KernelArguments.RequireMatrixLength(a.Length, m, k, nameof(a), nameof(m), nameof(k));
        KernelArguments.RequireMatrixLength(b.Length, n, k, nameof(b), nameof(n), nameof(k));
        KernelArguments.RequireMatrixLength(c.Length, m, n, nameof(c), nameof(m), nameof(n));
        if (IsTrivial(c, m, k, n, accumulate))
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            MultiplyTransposedBCore(pa, pb, pc, m, k, n, accumulate);
        }
    }

    private static void ValidateSizes(int m, int k, int n)
    {
        KernelArguments.RequireNonNegative(m);
        KernelArguments.RequireNonNegative(k);
        KernelArguments.RequireNonNegative(n);
    }

    /// <summary>Handles an empty product (m, n or k zero) and returns whether nothing is left to compute.</summary>
    private static bool IsTrivial(Span<float> c, int m, int k, int n, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return true;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// Computes c (+)= a * b with a(i, p) at a[i * aRowStride + p * aDepthStride]. The vector width is chosen by n,
    /// the length of the rows that the kernel vectorizes.
    /// </summary>
    private static void MultiplyBroadcastCore(
        float* a, nint aRowStride, nint aDepthStride, float* b, float* c, int m, int k, int n, bool accumulate)
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            BroadcastGemmKernel<Vector512Operations, Vector512<float>>.Run(a, aRowStride, aDepthStride, b, c, m, k, n, accumulate);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            BroadcastGemmKernel<Vector256Operations, Vector256<float>>.Run(a, aRowStride, aDepthStride, b, c, m, k, n, accumulate);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            BroadcastGemmKernel<Vector128Operations, Vector128<float>>.Run(a, aRowStride, aDepthStride, b, c, m, k, n, accumulate);
        }
        else
        {
            MultiplyBroadcastScalar(a, aRowStride, aDepthStride, b, c, m, k, n, accumulate);
        }
    }

    /// <summary>Computes c (+)= a * transpose(b), with the vector width chosen by k, the length of the dot products.</summary>
    private static void MultiplyTransposedBCore(float* a, float* b, float* c, int m, int k, int n, bool accumulate)
    {
        // NOTE: Vector512 is left out on purpose. On Zen 4, which splits 512-bit operations into 256-bit halves,
        // Vector256 measured as fast or faster on every shape tried (k from 100 to 784), because reducing the 16
        // accumulators and the overlapping last step cost less. Cores with full-width 512-bit units were not measured.
        if (Vector256.IsHardwareAccelerated && k >= Vector256<float>.Count)
        {
            DotGemmKernel<Vector256Operations, Vector256<float>>.Run(a, b, c, m, k, n, accumulate);
        }
        else if (Vector128.IsHardwareAccelerated && k >= Vector128<float>.Count)
        {
            DotGemmKernel<Vector128Operations, Vector128<float>>.Run(a, b, c, m, k, n, accumulate);
        }
        else
        {
            MultiplyTransposedBScalar(a, b, c, m, k, n, accumulate);
        }
    }

    private static void MultiplyBroadcastScalar(
        float* a, nint aRowStride, nint aDepthStride, float* b, float* c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            float* cRow = c + (nint)i * n;
            if (!accumulate)
            {
                new Span<float>(cRow, n).Clear();
            }

            for (int p = 0; p < k; p++)
            {
                float x = a[i * aRowStride + p * aDepthStride];
                float* bRow = b + (nint)p * n;
                for (int j = 0; j < n; j++)
                {
                    cRow[j] = ScalarMath.MultiplyAdd(x, bRow[j], cRow[j]);
                }
            }
        }
    }

    private static void MultiplyTransposedBScalar(float* a, float* b, float* c, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            float* aRow = a + (nint)i * k;
            for (int j = 0; j < n; j++)
            {
                float* bRow = b + (nint)j * k;
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum = ScalarMath.MultiplyAdd(aRow[p], bRow[p], sum);
                }

                float* target = c + (nint)i * n + j;
                *target = accumulate ? *target + sum : sum;
            }
        }
    }
}

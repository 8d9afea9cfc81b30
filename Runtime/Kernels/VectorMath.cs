using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>
/// Vector and row-major matrix helpers for the bias and reduction steps of the forward and backward passes.
/// </summary>
/// <remarks>
/// Each method uses the widest accelerated vector type (Vector512, Vector256, then Vector128) that fits the length
/// it vectorizes over, and plain scalar loops below that. Sums run in float32 with several partial sums, so they
/// agree with a double-precision reference to within float rounding, in an order that depends on the path.
/// Matrix spans may be longer than rows * columns, and only that prefix is read or written.
/// </remarks>
public static unsafe class VectorMath
{
    /// <summary>Returns the dot product of <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentException">The lengths of x and y differ.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        RequireSameLength(x.Length, y.Length, nameof(y));
        fixed (float* px = x, py = y)
        {
            return SelectWidth(x.Length) switch
            {
                512 => VectorMathKernel<Vector512Operations, Vector512<float>>.Dot(px, py, x.Length),
                256 => VectorMathKernel<Vector256Operations, Vector256<float>>.Dot(px, py, x.Length),
                128 => VectorMathKernel<Vector128Operations, Vector128<float>>.Dot(px, py, x.Length),
                _ => DotScalar(px, py, x.Length),
            };
        }
    }

    /// <summary>Computes y += alpha * x. x and y must be the same span or not overlap.</summary>
    /// <exception cref="ArgumentException">The lengths of x and y differ.</exception>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        RequireSameLength(x.Length, y.Length, nameof(y));
        fixed (float* px = x, py = y)
        {
            switch (SelectWidth(x.Length))
            {
                case 512:
                    VectorMathKernel<Vector512Operations, Vector512<float>>.Axpy(alpha, px, py, x.Length);
                    break;
                case 256:
                    VectorMathKernel<Vector256Operations, Vector256<float>>.Axpy(alpha, px, py, x.Length);
                    break;
                case 128:
                    VectorMathKernel<Vector128Operations, Vector128<float>>.Axpy(alpha, px, py, x.Length);
                    break;
                default:
                    for (int i = 0; i < x.Length; i++)
                    {
                        py[i] = ScalarMath.MultiplyAdd(alpha, px[i], py[i]);
                    }

                    break;
            }
        }
    }

    /// <summary>Returns the sum of the elements of <paramref name="x"/>.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        fixed (float* px = x)
        {
            return SumCore(px, x.Length);
        }
    }

    /// <summary>Adds values[r] to every element of row r of the row-major [rows x columns] <paramref name="matrix"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">rows or columns is negative.</exception>
    /// <exception cref="ArgumentException">matrix or values is too short.</exception>
    public static void AddToRows(Span<float> matrix, ReadOnlySpan<float> values, int rows, int columns)
    {
        ValidateMatrix(matrix.Length, rows, columns);
        KernelArguments.RequireLength(values.Length, rows, nameof(values), nameof(rows));
        fixed (float* pm = matrix, pv = values)
        {
            switch (SelectWidth(columns))
            {
                case 512:
                    VectorMathKernel<Vector512Operations, Vector512<float>>.AddToRows(pm, pv, rows, columns);
                    break;
                case 256:
                    VectorMathKernel<Vector256Operations, Vector256<float>>.AddToRows(pm, pv, rows, columns);
                    break;
                case 128:
                    VectorMathKernel<Vector128Operations, Vector128<float>>.AddToRows(pm, pv, rows, columns);
                    break;
                default:
                    for (int r = 0; r < rows; r++)
                    {
                        float* row = pm + (nint)r * columns;
                        for (int c = 0; c < columns; c++)
                        {
                            row[c] += pv[r];
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Adds values[c] to every element of column c of the row-major [rows x columns] <paramref name="matrix"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">rows or columns is negative.</exception>
    /// <exception cref="ArgumentException">matrix or values is too short.</exception>
    public static void AddToColumns(Span<float> matrix, ReadOnlySpan<float> values, int rows, int columns)
    {
        ValidateMatrix(matrix.Length, rows, columns);
        KernelArguments.RequireLength(values.Length, columns, nameof(values), nameof(columns));
        fixed (float* pm = matrix, pv = values)
        {
            switch (SelectWidth(columns))
            {
                case 512:
                    VectorMathKernel<Vector512Operations, Vector512<float>>.AddToColumns(pm, pv, rows, columns);
                    break;
                case 256:
                    VectorMathKernel<Vector256Operations, Vector256<float>>.AddToColumns(pm, pv, rows, columns);
                    break;
                case 128:
                    VectorMathKernel<Vector128Operations, Vector128<float>>.AddToColumns(pm, pv, rows, columns);
                    break;
                default:
                    for (int r = 0; r < rows; r++)
                    {
                        float* row = pm + (nint)r * columns;
                        for (int c = 0; c < columns; c++)
                        {
                            row[c] += pv[c];
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Computes result[r] = (accumulate ? result[r] : 0) + the sum of row r of the row-major [rows x columns]
    /// <paramref name="matrix"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">rows or columns is negative.</exception>
    /// <exception cref="ArgumentException">matrix or result is too short.</exception>
    public static void SumRows(ReadOnlySpan<float> matrix, int rows, int columns, Span<float> result, bool accumulate)
    {
        ValidateMatrix(matrix.Length, rows, columns);
        KernelArguments.RequireLength(result.Length, rows, nameof(result), nameof(rows));
        fixed (float* pm = matrix, pr = result)
        {
            switch (SelectWidth(columns))
            {
                case 512:
                    VectorMathKernel<Vector512Operations, Vector512<float>>.SumRows(pm, rows, columns, pr, accumulate);
                    break;
                case 256:
                    VectorMathKernel<Vector256Operations, Vector256<float>>.SumRows(pm, rows, columns, pr, accumulate);
                    break;
                case 128:
                    VectorMathKernel<Vector128Operations, Vector128<float>>.SumRows(pm, rows, columns, pr, accumulate);
                    break;
                default:
                    for (int r = 0; r < rows; r++)
                    {
                        float sum = SumCore(pm + (nint)r * columns, columns);
                        pr[r] = accumulate ? pr[r] + sum : sum;
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Computes result[c] = (accumulate ? result[c] : 0) + the sum of column c of the row-major [rows x columns]
    /// <paramref name="matrix"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">rows or columns is negative.</exception>
    /// <exception cref="ArgumentException">matrix or result is too short.</exception>
    public static void SumColumns(ReadOnlySpan<float> matrix, int rows, int columns, Span<float> result, bool accumulate)
    {
        ValidateMatrix(matrix.Length, rows, columns);
        KernelArguments.RequireLength(result.Length, columns, nameof(result), nameof(columns));
        fixed (float* pm = matrix, pr = result)
        {
            switch (SelectWidth(columns))
            {
                case 512:
                    VectorMathKernel<Vector512Operations, Vector512<float>>.SumColumns(pm, rows, columns, pr, accumulate);
                    break;
                case 256:
                    VectorMathKernel<Vector256Operations, Vector256<float>>.SumColumns(pm, rows, columns, pr, accumulate);
                    break;
                case 128:
                    VectorMathKernel<Vector128Operations, Vector128<float>>.SumColumns(pm, rows, columns, pr, accumulate);
                    break;
                default:
                    SumColumnsScalar(pm, rows, columns, pr, accumulate);
                    break;
            }
        }
    }

    /// <summary>
    /// Returns the bit width of the widest accelerated vector type with at most <paramref name="length"/> lanes,
    /// or 0 when none fits and the caller must use its scalar loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SelectWidth(int length)
    {
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            return 512;
        }

        if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            return 256;
        }

        if (Vector128.IsHardwareAccelerated && length >= Vector128<float>.Count)
        {
            return 128;
        }

        return 0;
    }

    private static float SumCore(float* x, int length)
    {
        switch (SelectWidth(length))
        {
            case 512:
                return VectorMathKernel<Vector512Operations, Vector512<float>>.Sum(x, length);
            case 256:
                return VectorMathKernel<Vector256Operations, Vector256<float>>.Sum(x, length);
            case 128:
                return VectorMathKernel<Vector128Operations, Vector128<float>>.Sum(x, length);
            default:
                float sum = 0;
                for (int i = 0; i < length; i++)
                {
                    sum += x[i];
                }

                return sum;
        }
    }

    private static float DotScalar(float* x, float* y, int length)
    {
        float sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum = ScalarMath.MultiplyAdd(x[i], y[i], sum);
        }

        return sum;
    }

    private static void SumColumnsScalar(float* matrix, int rows, int columns, float* result, bool accumulate)
    {
        if (!accumulate)
        {
            new Span<float>(result, columns).Clear();
        }

        for (int r = 0; r < rows; r++)
        {
            float* row = matrix + (nint)r * columns;
            for (int c = 0; c < columns; c++)
            {
                result[c] += row[c];
            }
        }
    }

    private static void ValidateMatrix(int matrixLength, int rows, int columns)
    {
        KernelArguments.RequireNonNegative(rows);
        KernelArguments.RequireNonNegative(columns);
        KernelArguments.RequireMatrixLength(matrixLength, rows, columns, "matrix", nameof(rows), nameof(columns));
    }

    private static void RequireSameLength(int xLength, int otherLength, string otherName)
    {
        if (otherLength != xLength)
        {
            throw new ArgumentException(
                $"{otherName} has {otherLength} elements, but x has {xLength}. The lengths must be equal.", otherName);
        }
    }
}

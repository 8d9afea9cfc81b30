using System.Runtime.CompilerServices;

namespace ModelCompiler.Kernels;

/// <summary>
/// Vector bodies of the <see cref="VectorMath"/> operations for one vector width.
/// </summary>
/// <remarks>
/// Every method requires length (or columns) &gt;= Count. The last partial vector is processed at length - Count,
/// overlapping lanes that are already done. Reductions zero those lanes before adding, and in-place updates write
/// only the new lanes, so an element is never counted or updated twice.
/// </remarks>
internal static unsafe class VectorMathKernel<TOperations, TVector>
    where TOperations : struct, IVectorOperations<TVector>
    where TVector : struct
{
    public static float Dot(float* x, float* y, int length)
    {
        int width = TOperations.Count;
        TVector sum0 = TOperations.Zero, sum1 = TOperations.Zero, sum2 = TOperations.Zero, sum3 = TOperations.Zero;
        int i = 0;
        for (; i <= length - 4 * width; i += 4 * width)
        {
            sum0 = TOperations.MultiplyAdd(TOperations.Load(x + i), TOperations.Load(y + i), sum0);
            sum1 = TOperations.MultiplyAdd(TOperations.Load(x + i + width), TOperations.Load(y + i + width), sum1);
            sum2 = TOperations.MultiplyAdd(TOperations.Load(x + i + 2 * width), TOperations.Load(y + i + 2 * width), sum2);
            sum3 = TOperations.MultiplyAdd(TOperations.Load(x + i + 3 * width), TOperations.Load(y + i + 3 * width), sum3);
        }

        for (; i <= length - width; i += width)
        {
            sum0 = TOperations.MultiplyAdd(TOperations.Load(x + i), TOperations.Load(y + i), sum0);
        }

        if (i < length)
        {
            // Both factors are masked, because masking only one would turn 0 * infinity into NaN.
            TVector lanes = TOperations.TailMask(length - i);
            int last = length - width;
            TVector xTail = TOperations.BitwiseAnd(TOperations.Load(x + last), lanes);
            TVector yTail = TOperations.BitwiseAnd(TOperations.Load(y + last), lanes);
            sum1 = TOperations.MultiplyAdd(xTail, yTail, sum1);
        }

        return TOperations.Sum(TOperations.Add(TOperations.Add(sum0, sum1), TOperations.Add(sum2, sum3)));
    }

    public static float Sum(float* x, int length)
    {
        int width = TOperations.Count;
        TVector sum0 = TOperations.Zero, sum1 = TOperations.Zero, sum2 = TOperations.Zero, sum3 = TOperations.Zero;
        int i = 0;
        for (; i <= length - 4 * width; i += 4 * width)
        {
            sum0 = TOperations.Add(sum0, TOperations.Load(x + i));
            sum1 = TOperations.Add(sum1, TOperations.Load(x + i + width));
            sum2 = TOperations.Add(sum2, TOperations.Load(x + i + 2 * width));
            sum3 = TOperations.Add(sum3, TOperations.Load(x + i + 3 * width));
        }

        for (; i <= length - width; i += width)
        {
            sum0 = TOperations.Add(sum0, TOperations.Load(x + i));
        }

        if (i < length)
        {
            TVector lanes = TOperations.TailMask(length - i);
            sum1 = TOperations.Add(sum1, TOperations.BitwiseAnd(TOperations.Load(x + length - width), lanes));
        }

        return TOperations.Sum(TOperations.Add(TOperations.Add(sum0, sum1), TOperations.Add(sum2, sum3)));
    }

    /// <summary>Computes y += alpha * x.</summary>
    public static void Axpy(float alpha, float* x, float* y, int length)
    {
        int width = TOperations.Count;
        TVector scale = TOperations.Broadcast(alpha);
        int i = 0;
        for (; i <= length - 2 * width; i += 2 * width)
        {
            TVector y0 = TOperations.MultiplyAdd(scale, TOperations.Load(x + i), TOperations.Load(y + i));
            TVector y1 = TOperations.MultiplyAdd(scale, TOperations.Load(x + i + width), TOperations.Load(y + i + width));
            TOperations.Store(y0, y + i);
            TOperations.Store(y1, y + i + width);
        }

        for (; i <= length - width; i += width)
        {
            TOperations.Store(TOperations.MultiplyAdd(scale, TOperations.Load(x + i), TOperations.Load(y + i)), y + i);
        }

        if (i < length)
        {
            int last = length - width;
            TVector old = TOperations.Load(y + last);
            TVector updated = TOperations.MultiplyAdd(scale, TOperations.Load(x + last), old);
            TOperations.Store(TOperations.ConditionalSelect(TOperations.TailMask(length - i), updated, old), y + last);
        }
    }

    /// <summary>Adds values[r] to every element of row r of the [rows x columns] matrix.</summary>
    public static void AddToRows(float* matrix, float* values, int rows, int columns)
    {
        int width = TOperations.Count;
        TVector tailLanes = TOperations.TailMask(columns % width == 0 ? width : columns % width);
        for (int r = 0; r < rows; r++)
        {
            float* row = matrix + (nint)r * columns;
            TVector addend = TOperations.Broadcast(values[r]);
            int c = 0;
            for (; c <= columns - width; c += width)
            {
                TOperations.Store(TOperations.Add(TOperations.Load(row + c), addend), row + c);
            }

            if (c < columns)
            {
                AddLanes(addend, row + columns - width, tailLanes);
            }
        }
    }

    /// <summary>Adds values[c] to every element of column c of the [rows x columns] matrix.</summary>
    public static void AddToColumns(float* matrix, float* values, int rows, int columns)
    {
        int width = TOperations.Count;
        int last = columns - width;
        TVector tailLanes = TOperations.TailMask(columns % width == 0 ? width : columns % width);
        TVector tailValues = TOperations.Load(values + last);
        for (int r = 0; r < rows; r++)
        {
            float* row = matrix + (nint)r * columns;
            int c = 0;
            for (; c <= columns - width; c += width)
            {
                TOperations.Store(TOperations.Add(TOperations.Load(row + c), TOperations.Load(values + c)), row + c);
            }

            if (c < columns)
            {
                AddLanes(tailValues, row + last, tailLanes);
            }
        }
    }

    /// <summary>Computes result[r] = (accumulate ? result[r] : 0) + sum over c of matrix[r, c].</summary>
    public static void SumRows(float* matrix, int rows, int columns, float* result, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            float sum = Sum(matrix + (nint)r * columns, columns);
            result[r] = accumulate ? result[r] + sum : sum;
        }
    }

    /// <summary>Adds <paramref name="addend"/> to the vector at <paramref name="destination"/> in the lanes set in <paramref name="lanes"/> only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLanes(TVector addend, float* destination, TVector lanes)
    {
        TVector old = TOperations.Load(destination);
        TOperations.Store(TOperations.ConditionalSelect(lanes, TOperations.Add(old, addend), old), destination);
    }

    /// <summary>Computes result[c] = (accumulate ? result[c] : 0) + sum over r of matrix[r, c].</summary>
    public static void SumColumns(float* matrix, int rows, int columns, float* result, bool accumulate)
    {
        int width = TOperations.Count;
        int j = 0;
        for (; j <= columns - 4 * width; j += 4 * width)
        {
            TVector sum0 = TOperations.Zero, sum1 = TOperations.Zero, sum2 = TOperations.Zero, sum3 = TOperations.Zero;
            float* source = matrix + j;
            for (int r = 0; r < rows; r++)
            {
                sum0 = TOperations.Add(sum0, TOperations.Load(source));
                sum1 = TOperations.Add(sum1, TOperations.Load(source + width));
                sum2 = TOperations.Add(sum2, TOperations.Load(source + 2 * width));
                sum3 = TOperations.Add(sum3, TOperations.Load(source + 3 * width));
                source += columns;
            }

            StoreSum(sum0, result + j, accumulate);
            StoreSum(sum1, result + j + width, accumulate);
            StoreSum(sum2, result + j + 2 * width, accumulate);
            StoreSum(sum3, result + j + 3 * width, accumulate);
        }

        for (; j <= columns - width; j += width)
        {
            StoreSum(SumColumn(matrix + j, rows, columns), result + j, accumulate);
        }

        if (j < columns)
        {
            int last = columns - width;
            TVector sum = SumColumn(matrix + last, rows, columns);
            TVector old = TOperations.Load(result + last);
            TVector updated = accumulate ? TOperations.Add(old, sum) : sum;
            TOperations.Store(TOperations.ConditionalSelect(TOperations.TailMask(columns - j), updated, old), result + last);
        }
    }

    /// <summary>Returns the sum over rows of the vector at <paramref name="source"/>, stepping <paramref name="stride"/> floats per row.</summary>
    private static TVector SumColumn(float* source, int rows, int stride)
    {
        TVector even = TOperations.Zero, odd = TOperations.Zero;
        int r = 0;
        for (; r <= rows - 2; r += 2)
        {
            even = TOperations.Add(even, TOperations.Load(source));
            odd = TOperations.Add(odd, TOperations.Load(source + stride));
            source += 2 * (nint)stride;
        }

        if (r < rows)
        {
            even = TOperations.Add(even, TOperations.Load(source));
        }

        return TOperations.Add(even, odd);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSum(TVector sum, float* destination, bool accumulate)
    {
        if (accumulate)
        {
            sum = TOperations.Add(TOperations.Load(destination), sum);
        }

        TOperations.Store(sum, destination);
    }
}

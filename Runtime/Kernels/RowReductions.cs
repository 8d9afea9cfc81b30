using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>
/// Double-precision sums over one contiguous row of floats, for the statistics and parameter gradients of the
/// normalization kernels, PReLU and global average pooling.
/// </summary>
/// <remarks>
/// Every element is widened to double before it is added, so a row sum has the error of double summation
/// (about length * 1.1e-16 relative to the sum of magnitudes), far below float rounding. Each method uses the
/// widest accelerated vector type that fits the length, and a scalar loop below that and for the last partial vector.
/// </remarks>
internal static unsafe class RowReductions
{
    /// <summary>Returns the sum of x[0 .. length).</summary>
    public static double Sum(float* x, int length) => VectorMath.SelectWidth(length) switch
    {
        512 => RowReductionKernel<Vector512Arithmetic, Vector512<float>>.Sum(x, length),
        256 => RowReductionKernel<Vector256Arithmetic, Vector256<float>>.Sum(x, length),
        128 => RowReductionKernel<Vector128Arithmetic, Vector128<float>>.Sum(x, length),
        _ => SumScalar(x, 0, length, 0.0),
    };

    /// <summary>Returns the sum of (x[i] - mean)^2.</summary>
    public static double SumSquaredDeviations(float* x, double mean, int length) => VectorMath.SelectWidth(length) switch
    {
        512 => RowReductionKernel<Vector512Arithmetic, Vector512<float>>.SumSquaredDeviations(x, mean, length),
        256 => RowReductionKernel<Vector256Arithmetic, Vector256<float>>.SumSquaredDeviations(x, mean, length),
        128 => RowReductionKernel<Vector128Arithmetic, Vector128<float>>.SumSquaredDeviations(x, mean, length),
        _ => SumSquaredDeviationsScalar(x, mean, 0, length, 0.0),
    };

    /// <summary>Returns the sum of (x[i] - mean) * factor[i].</summary>
    public static double SumDeviationProducts(float* x, double mean, float* factor, int length) => VectorMath.SelectWidth(length) switch
    {
        512 => RowReductionKernel<Vector512Arithmetic, Vector512<float>>.SumDeviationProducts(x, mean, factor, length),
        256 => RowReductionKernel<Vector256Arithmetic, Vector256<float>>.SumDeviationProducts(x, mean, factor, length),
        128 => RowReductionKernel<Vector128Arithmetic, Vector128<float>>.SumDeviationProducts(x, mean, factor, length),
        _ => SumDeviationProductsScalar(x, mean, factor, 0, length, 0.0),
    };

    /// <summary>
    /// Returns the sum of x[i] * dy[i] over the elements where x[i] &gt; 0 is false (x &lt;= 0 or NaN), the slope
    /// gradient of PReLU.
    /// </summary>
    public static double SumNonPositiveProducts(float* x, float* dy, int length) => VectorMath.SelectWidth(length) switch
    {
        512 => RowReductionKernel<Vector512Arithmetic, Vector512<float>>.SumNonPositiveProducts(x, dy, length),
        256 => RowReductionKernel<Vector256Arithmetic, Vector256<float>>.SumNonPositiveProducts(x, dy, length),
        128 => RowReductionKernel<Vector128Arithmetic, Vector128<float>>.SumNonPositiveProducts(x, dy, length),
        _ => SumNonPositiveProductsScalar(x, dy, 0, length, 0.0),
    };

    /// <summary>Returns <paramref name="sum"/> plus x[start .. length); the scalar path and the vector paths' tail.</summary>
    public static double SumScalar(float* x, int start, int length, double sum)
    {
        for (int i = start; i < length; i++)
        {
            sum += x[i];
        }

        return sum;
    }

    public static double SumSquaredDeviationsScalar(float* x, double mean, int start, int length, double sum)
    {
        for (int i = start; i < length; i++)
        {
            double deviation = x[i] - mean;
            sum += deviation * deviation;
        }

        return sum;
    }

    public static double SumDeviationProductsScalar(float* x, double mean, float* factor, int start, int length, double sum)
    {
        for (int i = start; i < length; i++)
        {
            sum += (x[i] - mean) * factor[i];
        }

        return sum;
    }

    public static double SumNonPositiveProductsScalar(float* x, float* dy, int start, int length, double sum)
    {
        for (int i = start; i < length; i++)
        {
            if (!(x[i] > 0f))
            {
                sum += (double)x[i] * dy[i];
            }
        }

        return sum;
    }
}

/// <summary>
/// Vector bodies of <see cref="RowReductions"/> for one vector width. The vector methods require length &gt;= Count
/// and finish the last partial vector with the scalar methods of <see cref="RowReductions"/>.
/// </summary>
internal static unsafe class RowReductionKernel<TOperations, TVector>
    where TOperations : struct, IArithmeticOperations<TVector>
    where TVector : struct
{
    public static double Sum(float* x, int length)
    {
        int width = TOperations.Count;
        TVector lower = TOperations.Zero, upper = TOperations.Zero;
        int i = 0;
        for (; i <= length - width; i += width)
        {
            TOperations.AccumulateSum(TOperations.Load(x + i), ref lower, ref upper);
        }

        return RowReductions.SumScalar(x, i, length, TOperations.SumDoubles(lower, upper));
    }

    public static double SumSquaredDeviations(float* x, double mean, int length)
    {
        int width = TOperations.Count;
        TVector meanLanes = TOperations.BroadcastDouble(mean);
        TVector lower = TOperations.Zero, upper = TOperations.Zero;
        int i = 0;
        for (; i <= length - width; i += width)
        {
            TOperations.AccumulateSquaredDeviation(TOperations.Load(x + i), meanLanes, ref lower, ref upper);
        }

        return RowReductions.SumSquaredDeviationsScalar(x, mean, i, length, TOperations.SumDoubles(lower, upper));
    }

    public static double SumDeviationProducts(float* x, double mean, float* factor, int length)
    {
        int width = TOperations.Count;
        TVector meanLanes = TOperations.BroadcastDouble(mean);
        TVector lower = TOperations.Zero, upper = TOperations.Zero;
        int i = 0;
        for (; i <= length - width; i += width)
        {
            TOperations.AccumulateDeviationProduct(TOperations.Load(x + i), meanLanes, TOperations.Load(factor + i), ref lower, ref upper);
        }

        return RowReductions.SumDeviationProductsScalar(x, mean, factor, i, length, TOperations.SumDoubles(lower, upper));
    }

    public static double SumNonPositiveProducts(float* x, float* dy, int length)
    {
        int width = TOperations.Count;
        TVector zero = TOperations.Zero;
        TVector lower = TOperations.Zero, upper = TOperations.Zero;
        int i = 0;
        for (; i <= length - width; i += width)
        {
            // Both factors are cleared where x > 0, because clearing only dy would turn 0 * infinity into NaN.
            TVector inputs = TOperations.Load(x + i);
            TVector positive = TOperations.GreaterThan(inputs, zero);
            TVector nonPositiveInputs = TOperations.ConditionalSelect(positive, zero, inputs);
            TVector nonPositiveGradients = TOperations.ConditionalSelect(positive, zero, TOperations.Load(dy + i));
            TOperations.AccumulateProduct(nonPositiveInputs, nonPositiveGradients, ref lower, ref upper);
        }

        return RowReductions.SumNonPositiveProductsScalar(x, dy, i, length, TOperations.SumDoubles(lower, upper));
    }
}

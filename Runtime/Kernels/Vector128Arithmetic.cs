using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelCompiler.Kernels;

/// <summary>The <see cref="IArithmeticOperations{TVector}"/> for <see cref="Vector128{T}"/> of float.</summary>
internal readonly unsafe struct Vector128Arithmetic : IArithmeticOperations<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    public static Vector128<float> Int32Indices => Vector128<int>.Indices.AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    /// <remarks>The same hardware test as <see cref="ScalarMath.MultiplyAdd"/>, so vector lanes and scalar loops round alike.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend)
    {
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            return Vector128.FusedMultiplyAdd(left, right, addend);
        }

        return left * right + addend;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> GreaterThan(Vector128<float> left, Vector128<float> right) => Vector128.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LessThanOrEqual(Vector128<float> left, Vector128<float> right) => Vector128.LessThanOrEqual(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ConditionalSelect(Vector128<float> mask, Vector128<float> whenTrue, Vector128<float> whenFalse) =>
        Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> TailMask(int count) =>
        Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(Count - count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ReplacesMaximum(Vector128<float> candidate, Vector128<float> best) =>
        Vector128.GreaterThan(candidate, best) | ~Vector128.Equals(candidate, candidate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> BroadcastInt32(int value) => Vector128.Create(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> AddInt32(Vector128<float> left, Vector128<float> right) =>
        (left.AsInt32() + right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> BroadcastDouble(double value) => Vector128.Create(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSum(Vector128<float> values, ref Vector128<float> lower, ref Vector128<float> upper)
    {
        (Vector128<double> low, Vector128<double> high) = Vector128.Widen(values);
        lower = (lower.AsDouble() + low).AsSingle();
        upper = (upper.AsDouble() + high).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector128<float> left, Vector128<float> right, ref Vector128<float> lower, ref Vector128<float> upper)
    {
        (Vector128<double> leftLow, Vector128<double> leftHigh) = Vector128.Widen(left);
        (Vector128<double> rightLow, Vector128<double> rightHigh) = Vector128.Widen(right);
        lower = MultiplyAddDouble(leftLow, rightLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(leftHigh, rightHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateDeviationProduct(
        Vector128<float> x, Vector128<float> mean, Vector128<float> factor, ref Vector128<float> lower, ref Vector128<float> upper)
    {
        (Vector128<double> xLow, Vector128<double> xHigh) = Vector128.Widen(x);
        (Vector128<double> factorLow, Vector128<double> factorHigh) = Vector128.Widen(factor);
        Vector128<double> meanLanes = mean.AsDouble();
        lower = MultiplyAddDouble(xLow - meanLanes, factorLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(xHigh - meanLanes, factorHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSquaredDeviation(Vector128<float> x, Vector128<float> mean, ref Vector128<float> lower, ref Vector128<float> upper)
    {
        (Vector128<double> xLow, Vector128<double> xHigh) = Vector128.Widen(x);
        Vector128<double> meanLanes = mean.AsDouble();
        Vector128<double> deviationLow = xLow - meanLanes;
        Vector128<double> deviationHigh = xHigh - meanLanes;
        lower = MultiplyAddDouble(deviationLow, deviationLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(deviationHigh, deviationHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDoubles(Vector128<float> lower, Vector128<float> upper) => Vector128.Sum(lower.AsDouble() + upper.AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> MultiplyAddDouble(Vector128<double> left, Vector128<double> right, Vector128<double> addend)
    {
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            return Vector128.FusedMultiplyAdd(left, right, addend);
        }

        return left * right + addend;
    }
}

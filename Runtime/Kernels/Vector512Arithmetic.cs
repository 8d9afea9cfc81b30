using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelCompiler.Kernels;

/// <summary>The <see cref="IArithmeticOperations{TVector}"/> for <see cref="Vector512{T}"/> of float.</summary>
internal readonly unsafe struct Vector512Arithmetic : IArithmeticOperations<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    public static Vector512<float> Int32Indices => Vector512<int>.Indices.AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    /// <remarks>The same hardware test as <see cref="ScalarMath.MultiplyAdd"/>, so vector lanes and scalar loops round alike.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend)
    {
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            return Vector512.FusedMultiplyAdd(left, right, addend);
        }

        return left * right + addend;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> GreaterThan(Vector512<float> left, Vector512<float> right) => Vector512.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThanOrEqual(Vector512<float> left, Vector512<float> right) => Vector512.LessThanOrEqual(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ConditionalSelect(Vector512<float> mask, Vector512<float> whenTrue, Vector512<float> whenFalse) =>
        Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> TailMask(int count) =>
        Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Count - count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ReplacesMaximum(Vector512<float> candidate, Vector512<float> best) =>
        Vector512.GreaterThan(candidate, best) | ~Vector512.Equals(candidate, candidate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> BroadcastInt32(int value) => Vector512.Create(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> AddInt32(Vector512<float> left, Vector512<float> right) =>
        (left.AsInt32() + right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> BroadcastDouble(double value) => Vector512.Create(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSum(Vector512<float> values, ref Vector512<float> lower, ref Vector512<float> upper)
    {
        (Vector512<double> low, Vector512<double> high) = Vector512.Widen(values);
        lower = (lower.AsDouble() + low).AsSingle();
        upper = (upper.AsDouble() + high).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector512<float> left, Vector512<float> right, ref Vector512<float> lower, ref Vector512<float> upper)
    {
        (Vector512<double> leftLow, Vector512<double> leftHigh) = Vector512.Widen(left);
        (Vector512<double> rightLow, Vector512<double> rightHigh) = Vector512.Widen(right);
        lower = MultiplyAddDouble(leftLow, rightLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(leftHigh, rightHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateDeviationProduct(
        Vector512<float> x, Vector512<float> mean, Vector512<float> factor, ref Vector512<float> lower, ref Vector512<float> upper)
    {
        (Vector512<double> xLow, Vector512<double> xHigh) = Vector512.Widen(x);
        (Vector512<double> factorLow, Vector512<double> factorHigh) = Vector512.Widen(factor);
        Vector512<double> meanLanes = mean.AsDouble();
        lower = MultiplyAddDouble(xLow - meanLanes, factorLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(xHigh - meanLanes, factorHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSquaredDeviation(Vector512<float> x, Vector512<float> mean, ref Vector512<float> lower, ref Vector512<float> upper)
    {
        (Vector512<double> xLow, Vector512<double> xHigh) = Vector512.Widen(x);
        Vector512<double> meanLanes = mean.AsDouble();
        Vector512<double> deviationLow = xLow - meanLanes;
        Vector512<double> deviationHigh = xHigh - meanLanes;
        lower = MultiplyAddDouble(deviationLow, deviationLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(deviationHigh, deviationHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDoubles(Vector512<float> lower, Vector512<float> upper) => Vector512.Sum(lower.AsDouble() + upper.AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> MultiplyAddDouble(Vector512<double> left, Vector512<double> right, Vector512<double> addend)
    {
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            return Vector512.FusedMultiplyAdd(left, right, addend);
        }

        return left * right + addend;
    }
}

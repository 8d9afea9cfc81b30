using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelCompiler.Kernels;

/// <summary>The <see cref="IArithmeticOperations{TVector}"/> for <see cref="Vector256{T}"/> of float.</summary>
internal readonly unsafe struct Vector256Arithmetic : IArithmeticOperations<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    public static Vector256<float> Int32Indices => Vector256<int>.Indices.AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    /// <remarks>The same hardware test as <see cref="ScalarMath.MultiplyAdd"/>, so vector lanes and scalar loops round alike.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend)
    {
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            return Vector256.FusedMultiplyAdd(left, right, addend);
        }

        return left * right + addend;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GreaterThan(Vector256<float> left, Vector256<float> right) => Vector256.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LessThanOrEqual(Vector256<float> left, Vector256<float> right) => Vector256.LessThanOrEqual(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ConditionalSelect(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse) =>
        Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> TailMask(int count) =>
        Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(Count - count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ReplacesMaximum(Vector256<float> candidate, Vector256<float> best) =>
        Vector256.GreaterThan(candidate, best) | ~Vector256.Equals(candidate, candidate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> BroadcastInt32(int value) => Vector256.Create(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> AddInt32(Vector256<float> left, Vector256<float> right) =>
        (left.AsInt32() + right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> BroadcastDouble(double value) => Vector256.Create(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSum(Vector256<float> values, ref Vector256<float> lower, ref Vector256<float> upper)
    {
        (Vector256<double> low, Vector256<double> high) = Vector256.Widen(values);
        lower = (lower.AsDouble() + low).AsSingle();
        upper = (upper.AsDouble() + high).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector256<float> left, Vector256<float> right, ref Vector256<float> lower, ref Vector256<float> upper)
    {
        (Vector256<double> leftLow, Vector256<double> leftHigh) = Vector256.Widen(left);
        (Vector256<double> rightLow, Vector256<double> rightHigh) = Vector256.Widen(right);
        lower = MultiplyAddDouble(leftLow, rightLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(leftHigh, rightHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateDeviationProduct(
        Vector256<float> x, Vector256<float> mean, Vector256<float> factor, ref Vector256<float> lower, ref Vector256<float> upper)
    {
        (Vector256<double> xLow, Vector256<double> xHigh) = Vector256.Widen(x);
        (Vector256<double> factorLow, Vector256<double> factorHigh) = Vector256.Widen(factor);
        Vector256<double> meanLanes = mean.AsDouble();
        lower = MultiplyAddDouble(xLow - meanLanes, factorLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(xHigh - meanLanes, factorHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSquaredDeviation(Vector256<float> x, Vector256<float> mean, ref Vector256<float> lower, ref Vector256<float> upper)
    {
        (Vector256<double> xLow, Vector256<double> xHigh) = Vector256.Widen(x);
        Vector256<double> meanLanes = mean.AsDouble();
        Vector256<double> deviationLow = xLow - meanLanes;
        Vector256<double> deviationHigh = xHigh - meanLanes;
        lower = MultiplyAddDouble(deviationLow, deviationLow, lower.AsDouble()).AsSingle();
        upper = MultiplyAddDouble(deviationHigh, deviationHigh, upper.AsDouble()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDoubles(Vector256<float> lower, Vector256<float> upper) => Vector256.Sum(lower.AsDouble() + upper.AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MultiplyAddDouble(Vector256<double> left, Vector256<double> right, Vector256<double> addend)
    {
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            return Vector256.FusedMultiplyAdd(left, right, addend);
        }

        return left * right + addend;
    }
}

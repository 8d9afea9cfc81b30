using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelCompiler.Kernels;

/// <summary>The <see cref="IVectorOperations{TVector}"/> for <see cref="Vector256{T}"/> of float.</summary>
internal readonly unsafe struct Vector256Operations : IVectorOperations<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    public static Vector256<float> EvenInt32Sequence => Vector256.CreateSequence(0, 2).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

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
    public static Vector256<float> Max(Vector256<float> left, Vector256<float> right) => Vector256.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GreaterThan(Vector256<float> left, Vector256<float> right) =>
        Vector256.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> BitwiseAnd(Vector256<float> left, Vector256<float> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ConditionalSelect(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse) =>
        Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> TailMask(int count) =>
        Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(Count - count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FoldTo128(Vector256<float> value) => value.GetLower() + value.GetUpper();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> EvenLanes(Vector256<float> lower, Vector256<float> upper)
    {
        // One two-source permute (vpermt2ps) replaces the two narrowing moves and the insert that Narrow needs.
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.PermuteVar8x32x2(lower, Vector256.CreateSequence(0, 2), upper);
        }

        return Vector256.Narrow(lower.AsUInt64(), upper.AsUInt64()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> OddLanes(Vector256<float> lower, Vector256<float> upper)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.PermuteVar8x32x2(lower, Vector256.CreateSequence(1, 2), upper);
        }

        return Vector256.Narrow(
            Vector256.ShiftRightLogical(lower.AsUInt64(), 32),
            Vector256.ShiftRightLogical(upper.AsUInt64(), 32)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ReplacesMaximum(Vector256<float> candidate, Vector256<float> best) =>
        Vector256.GreaterThan(candidate, best) | ~Vector256.Equals(candidate, candidate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> BroadcastInt32(int value) => Vector256.Create(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> AddInt32(Vector256<float> left, Vector256<float> right) =>
        (left.AsInt32() + right.AsInt32()).AsSingle();
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelCompiler.Kernels;

/// <summary>The <see cref="IVectorOperations{TVector}"/> for <see cref="Vector128{T}"/> of float.</summary>
internal readonly unsafe struct Vector128Operations : IVectorOperations<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    public static Vector128<float> EvenInt32Sequence => Vector128.CreateSequence(0, 2).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    /// <remarks>
    /// The hardware test is an if statement on the IsSupported properties themselves, which the JIT folds while
    /// importing the kernel. Behind a shared bool property that combined two tests, .NET 10 with FMA disabled
    /// imported the software FusedMultiplyAdd fallback as well, and the GEMM tiles then kept their accumulators
    /// on the stack (3 times slower).
    /// </remarks>
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
    public static Vector128<float> Max(Vector128<float> left, Vector128<float> right) => Vector128.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> GreaterThan(Vector128<float> left, Vector128<float> right) =>
        Vector128.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> BitwiseAnd(Vector128<float> left, Vector128<float> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ConditionalSelect(Vector128<float> mask, Vector128<float> whenTrue, Vector128<float> whenFalse) =>
        Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> TailMask(int count) =>
        Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(Count - count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FoldTo128(Vector128<float> value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> EvenLanes(Vector128<float> lower, Vector128<float> upper)
    {
        // shufps takes lanes 0 and 2 of lower, then lanes 0 and 2 of upper, in one instruction.
        if (Sse.IsSupported)
        {
            return Sse.Shuffle(lower, upper, 0b10_00_10_00);
        }

        return Vector128.Narrow(lower.AsUInt64(), upper.AsUInt64()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> OddLanes(Vector128<float> lower, Vector128<float> upper)
    {
        if (Sse.IsSupported)
        {
            return Sse.Shuffle(lower, upper, 0b11_01_11_01);
        }

        return Vector128.Narrow(
            Vector128.ShiftRightLogical(lower.AsUInt64(), 32),
            Vector128.ShiftRightLogical(upper.AsUInt64(), 32)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ReplacesMaximum(Vector128<float> candidate, Vector128<float> best) =>
        Vector128.GreaterThan(candidate, best) | ~Vector128.Equals(candidate, candidate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> BroadcastInt32(int value) => Vector128.Create(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> AddInt32(Vector128<float> left, Vector128<float> right) =>
        (left.AsInt32() + right.AsInt32()).AsSingle();
}

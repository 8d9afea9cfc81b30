using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>
/// The float vector operations that the kernels use, so that one generic kernel body serves Vector128, Vector256
/// and Vector512.
/// </summary>
/// <remarks>
/// Implementations are empty structs. A kernel instantiated with one of them is compiled for that width alone, and
/// every call inlines. Integer lanes (max-pool indexes) travel as the bit patterns of float lanes.
/// </remarks>
internal unsafe interface IVectorOperations<TVector>
    where TVector : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    static abstract TVector Broadcast(float value);

    static abstract TVector Add(TVector left, TVector right);

    /// <summary>Returns left * right + addend, fused (one rounding) when the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary>Returns the IEEE 754-2019 maximum per lane: NaN if either lane is NaN, and +0 for max(-0, +0).</summary>
    static abstract TVector Max(TVector left, TVector right);

    /// <summary>Returns an all-bits mask in each lane where left is greater than right.</summary>
    static abstract TVector GreaterThan(TVector left, TVector right);

    static abstract TVector BitwiseAnd(TVector left, TVector right);

    /// <summary>Returns, per lane, the lane of <paramref name="whenTrue"/> where the mask bit is set, else <paramref name="whenFalse"/>.</summary>
    static abstract TVector ConditionalSelect(TVector mask, TVector whenTrue, TVector whenFalse);

    /// <summary>
    /// Returns a mask with the last <paramref name="count"/> lanes set, 0 &lt; count &lt;= Count. A loop whose last
    /// vector overlaps the previous one uses it to keep only the lanes not yet processed.
    /// </summary>
    static abstract TVector TailMask(int count);

    /// <summary>Returns the sum of all lanes.</summary>
    static abstract float Sum(TVector value);

    /// <summary>Adds the 128-bit parts of a vector together, preserving the sum of all lanes.</summary>
    static abstract Vector128<float> FoldTo128(TVector value);

    /// <summary>Returns lanes 0, 2, 4, ... of <paramref name="lower"/> followed by those of <paramref name="upper"/>.</summary>
    static abstract TVector EvenLanes(TVector lower, TVector upper);

    /// <summary>Returns lanes 1, 3, 5, ... of <paramref name="lower"/> followed by those of <paramref name="upper"/>.</summary>
    static abstract TVector OddLanes(TVector lower, TVector upper);

    /// <summary>
    /// Returns the mask of lanes where <paramref name="candidate"/> replaces <paramref name="best"/> in a max-pool scan:
    /// candidate &gt; best, or candidate is NaN. Ties keep the earlier element, and a later NaN replaces an earlier one.
    /// </summary>
    static abstract TVector ReplacesMaximum(TVector candidate, TVector best);

    /// <summary>Returns the int32 <paramref name="value"/> in every lane, as float bits.</summary>
    static abstract TVector BroadcastInt32(int value);

    /// <summary>Adds lanes as int32 values.</summary>
    static abstract TVector AddInt32(TVector left, TVector right);

    /// <summary>Returns the int32 values 0, 2, 4, ... as float bits.</summary>
    static abstract TVector EvenInt32Sequence { get; }
}

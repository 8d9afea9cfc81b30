namespace ModelCompiler.Kernels;

/// <summary>
/// The float arithmetic, int32 index lanes and double-precision accumulation that the activation, maxout and
/// normalization kernels use, so that one generic kernel body serves Vector128, Vector256 and Vector512.
/// </summary>
/// <remarks>
/// Implementations are empty structs, as for <see cref="IVectorOperations{TVector}"/>. Two kinds of lanes travel
/// as the bit patterns of a float vector: int32 indexes, and double accumulators. A pair of accumulators (lower and
/// upper) contains Count doubles, one per float lane of the vector that was widened into them.
/// </remarks>
internal unsafe interface IArithmeticOperations<TVector>
    where TVector : struct
{
    /// <summary>Float lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All bits zero: float +0, int32 0 and double +0 alike.</summary>
    static abstract TVector Zero { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    static abstract TVector Broadcast(float value);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Subtract(TVector left, TVector right);

    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>Returns left * right + addend, fused (one rounding) exactly when <see cref="ScalarMath.MultiplyAdd"/> is.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary>Returns an all-bits mask in each lane where left is greater than right; NaN lanes compare false.</summary>
    static abstract TVector GreaterThan(TVector left, TVector right);

    /// <summary>Returns an all-bits mask in each lane where left is less than or equal to right; NaN lanes compare false.</summary>
    static abstract TVector LessThanOrEqual(TVector left, TVector right);

    /// <summary>Returns, per lane, the lane of <paramref name="whenTrue"/> where the mask bit is set, else <paramref name="whenFalse"/>.</summary>
    static abstract TVector ConditionalSelect(TVector mask, TVector whenTrue, TVector whenFalse);

    /// <summary>Returns a mask with the last <paramref name="count"/> lanes set, 0 &lt; count &lt;= Count.</summary>
    static abstract TVector TailMask(int count);

    /// <summary>Returns the mask of lanes where <paramref name="candidate"/> is greater than <paramref name="best"/> or is NaN.</summary>
    static abstract TVector ReplacesMaximum(TVector candidate, TVector best);

    /// <summary>The int32 values 0, 1, 2, ..., Count - 1, as float bits.</summary>
    static abstract TVector Int32Indices { get; }

    /// <summary>Returns the int32 <paramref name="value"/> in every lane, as float bits.</summary>
    static abstract TVector BroadcastInt32(int value);

    /// <summary>Adds lanes as int32 values.</summary>
    static abstract TVector AddInt32(TVector left, TVector right);

    /// <summary>Returns <paramref name="value"/> in every double lane, as float bits.</summary>
    static abstract TVector BroadcastDouble(double value);

    /// <summary>Widens <paramref name="values"/> to double and adds them to the accumulator pair.</summary>
    static abstract void AccumulateSum(TVector values, ref TVector lower, ref TVector upper);

    /// <summary>Widens both vectors to double and adds their exact products to the accumulator pair.</summary>
    static abstract void AccumulateProduct(TVector left, TVector right, ref TVector lower, ref TVector upper);

    /// <summary>
    /// Adds (x - mean) * factor to the accumulator pair, with x and factor widened to double and
    /// <paramref name="mean"/> double lanes from <see cref="BroadcastDouble"/>.
    /// </summary>
    static abstract void AccumulateDeviationProduct(TVector x, TVector mean, TVector factor, ref TVector lower, ref TVector upper);

    /// <summary>Adds (x - mean)^2 to the accumulator pair, in double as <see cref="AccumulateDeviationProduct"/>.</summary>
    static abstract void AccumulateSquaredDeviation(TVector x, TVector mean, ref TVector lower, ref TVector upper);

    /// <summary>Returns the sum of the double lanes of both accumulators.</summary>
    static abstract double SumDoubles(TVector lower, TVector upper);
}

namespace ModelCompiler.Preprocessing;

/// <summary>Argument checks shared by the preprocessing transforms, with messages that name the offending value.</summary>
internal static class DataChecks
{
    /// <summary>
    /// Throws unless <paramref name="count"/> and <paramref name="size"/> are positive and
    /// <paramref name="length"/> equals their product.
    /// </summary>
    public static void ValidateRows(int length, int count, int size, string parameterName, string sizeName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (size <= 0)
        {
            throw new ArgumentOutOfRangeException(sizeName, size, $"{sizeName} is {size}; expected a positive value.");
        }

        long expectedLength = (long)count * size;
        if (length != expectedLength)
        {
            throw new ArgumentException(
                $"{parameterName} has {length} values; expected {expectedLength} (count {count} x {sizeName} {size}).",
                parameterName);
        }
    }

    /// <summary>Throws if any value is NaN or infinite, naming the example and the position within it.</summary>
    public static void ValidateFinite(ReadOnlySpan<float> data, int size, string parameterName)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                throw new ArgumentException(
                    $"{parameterName}[{i}] (example {i / size}, position {i % size}) is {data[i]}; expected a finite value.",
                    parameterName);
            }
        }
    }
}

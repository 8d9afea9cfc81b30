using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>
/// Short row copies and additions for the im2col and col2im code that generated models emit per kernel tap.
/// </summary>
/// <remarks>
/// These take references instead of spans and do no bounds checks: the generator computes every offset and
/// count from the layer's shape at build time, and the generated public methods check span lengths first.
/// The count is a constant at each call site, so after inlining the JIT keeps only the matching branch.
/// </remarks>
public static class Rows
{
    /// <summary>Copies <paramref name="count"/> consecutive values from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    /// <param name="source">First value to read.</param>
    /// <param name="destination">First value to write; the two ranges must not overlap.</param>
    /// <param name="count">Values to copy.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref float source, ref float destination, int count)
    {
        if (Vector256.IsHardwareAccelerated && count >= Vector256<float>.Count)
        {
            // Whole vectors, then one last vector ending exactly at count; it may rewrite a few values.
            int last = count - Vector256<float>.Count;
            for (int i = 0; i < last; i += Vector256<float>.Count)
            {
                Vector256.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref destination, (nuint)i);
            }

            Vector256.LoadUnsafe(ref source, (nuint)last).StoreUnsafe(ref destination, (nuint)last);
            return;
        }

        if (Vector128.IsHardwareAccelerated && count >= Vector128<float>.Count)
        {
            int last = count - Vector128<float>.Count;
            for (int i = 0; i < last; i += Vector128<float>.Count)
            {
                Vector128.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref destination, (nuint)i);
            }

            Vector128.LoadUnsafe(ref source, (nuint)last).StoreUnsafe(ref destination, (nuint)last);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i);
        }
    }

    /// <summary>Copies every <paramref name="stride"/>-th value of <paramref name="source"/> to consecutive destination values.</summary>
    /// <param name="source">First value to read.</param>
    /// <param name="stride">Distance between values read.</param>
    /// <param name="destination">First value to write.</param>
    /// <param name="count">Values to copy.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyStrided(ref float source, int stride, ref float destination, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i * stride);
        }
    }

    /// <summary>Adds <paramref name="count"/> consecutive values of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    /// <param name="source">First value to read.</param>
    /// <param name="destination">First value to add to; the two ranges must not overlap.</param>
    /// <param name="count">Values to add.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref float source, ref float destination, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var sum = Vector256.LoadUnsafe(ref destination, (nuint)i) + Vector256.LoadUnsafe(ref source, (nuint)i);
                sum.StoreUnsafe(ref destination, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var sum = Vector128.LoadUnsafe(ref destination, (nuint)i) + Vector128.LoadUnsafe(ref source, (nuint)i);
                sum.StoreUnsafe(ref destination, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref destination, i) += Unsafe.Add(ref source, i);
        }
    }

    /// <summary>Adds consecutive values of <paramref name="source"/> into every <paramref name="stride"/>-th value of <paramref name="destination"/>.</summary>
    /// <param name="source">First value to read.</param>
    /// <param name="destination">First value to add to.</param>
    /// <param name="stride">Distance between values written.</param>
    /// <param name="count">Values to add.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddStrided(ref float source, ref float destination, int stride, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i * stride) += Unsafe.Add(ref source, i);
        }
    }
}

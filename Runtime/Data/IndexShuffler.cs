using ModelCompiler.Training;

namespace ModelCompiler.Data;

/// <summary>Seeded random orderings of example indices, one per training epoch.</summary>
public static class IndexShuffler
{
    /// <summary>Returns the indices 0, 1, ..., <paramref name="count"/> - 1 in order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static int[] CreateIdentityPermutation(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        var indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        return indices;
    }

    /// <summary>
    /// Permutes <paramref name="indices"/> in place with the Fisher-Yates shuffle, so every order is equally
    /// likely. The result depends only on the input order and the state of <paramref name="random"/>.
    /// Shuffling the previous epoch's order again with the same generator gives a fresh order each epoch.
    /// </summary>
    public static void Shuffle(Span<int> indices, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);

        for (int i = indices.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
    }
}

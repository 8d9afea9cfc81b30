using System.Numerics;

namespace ModelCompiler.Training;

/// <summary>
/// A seeded pseudo-random generator whose output depends only on the seed and this code, so that a training
/// run is reproducible across .NET versions and machines. <see cref="System.Random"/> does not promise that.
/// The one exception is the last bit of the normal samples, noted at <see cref="NextGaussian"/>.
/// </summary>
/// <remarks>
/// The generator is xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number generators", 2021),
/// with its 256-bit state filled from the seed by SplitMix64, as its authors recommend.
/// <see cref="NextUInt64"/>, <see cref="NextDouble"/>, <see cref="NextSingle"/> and <see cref="NextInt"/> use
/// integer arithmetic and exact conversions only, so their sequences are identical everywhere.
/// Instances are not thread-safe.
/// </remarks>
public sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    // The polar method produces normal samples in pairs, and the next call returns the second one.
    private bool _hasSpareGaussian;
    private double _spareGaussian;

    /// <summary>Creates a generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public DeterministicRandom(ulong seed)
    {
        ulong splitMixState = seed;
        _s0 = NextSplitMix64(ref splitMixState);
        _s1 = NextSplitMix64(ref splitMixState);
        _s2 = NextSplitMix64(ref splitMixState);
        _s3 = NextSplitMix64(ref splitMixState);
    }

    /// <summary>
    /// Creates a generator from a signed seed. It produces the same sequence as
    /// <c>new DeterministicRandom(unchecked((ulong)seed))</c>.
    /// </summary>
    public DeterministicRandom(long seed)
        : this(unchecked((ulong)seed))
    {
    }

    /// <summary>Returns the next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;

        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);

        return result;
    }

    /// <summary>Returns a uniform double in [0, 1) with 53 random bits, a multiple of 2^-53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform float in [0, 1) with 24 random bits, a multiple of 2^-24.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>
    /// Returns a uniform integer in [0, <paramref name="maxExclusive"/>) without modulo bias. It applies the
    /// multiply-and-reject method of Lemire ("Fast Random Integer Generation in an Interval", 2019) to the upper
    /// 32 bits of <see cref="NextUInt64"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);

        uint range = (uint)maxExclusive;
        ulong product = (NextUInt64() >> 32) * range;
        uint low = (uint)product;
        if (low < range)
        {
            // Products whose low half falls below 2^32 mod range would make some results more likely, so draw again.
            uint threshold = (0u - range) % range;
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * range;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>
    /// Returns a standard normal sample (mean 0, standard deviation 1), computed in double by the Marsaglia
    /// polar method. Calls alternate between drawing a new pair and returning the second value of the pair.
    /// </summary>
    /// <remarks>
    /// NOTE: the polar method calls <see cref="Math.Log(double)"/>, which .NET takes from the platform's math
    /// library. Results may therefore differ in the last bit between platforms, unlike the uniform methods.
    /// </remarks>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }

        double u;
        double v;
        double sumOfSquares;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            sumOfSquares = u * u + v * v;
        }
        while (sumOfSquares >= 1.0 || sumOfSquares == 0.0);

        double scale = Math.Sqrt(-2.0 * Math.Log(sumOfSquares) / sumOfSquares);
        _spareGaussian = v * scale;
        _hasSpareGaussian = true;
        return u * scale;
    }

    /// <summary>Returns <see cref="NextGaussian"/> rounded to float. Both methods share one sequence.</summary>
    public float NextNormal() => (float)NextGaussian();

    private static ulong NextSplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

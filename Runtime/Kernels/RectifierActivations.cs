using System.Runtime.CompilerServices;

namespace ModelCompiler.Kernels;

/// <summary>LeakyReLU and PReLU, which pass positive inputs through and scale the rest by a slope.</summary>
/// <remarks>
/// As in PyTorch, an input of exactly 0 takes the slope branch in the backward pass, and so does NaN. These kernels
/// use only comparisons and one multiplication, so their outputs are exact products and match the reference bit
/// for bit. An output may be the same span as an input (see <see cref="Elementwise"/>).
/// </remarks>
public static unsafe partial class Activations
{
    /// <summary>Computes y = x &gt; 0 ? x : slope * x per element, writing x.Length elements of y.</summary>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float slope)
    {
        Elementwise.RequireForwardLengths(x.Length, y.Length);
        fixed (float* px = x, py = y)
        {
            Elementwise.Map(new LeakyReluFunction(slope), px, py, x.Length);
        }
    }

    /// <summary>
    /// Computes the LeakyReLU gradient dx = signSource &gt; 0 ? dy : slope * dy per element, writing dy.Length elements
    /// of dx. dx may be the same span as dy.
    /// </summary>
    /// <param name="signSource">
    /// The forward input, or, for a slope of at least 0, the forward output, which has the same sign.
    /// </param>
    /// <param name="dy">Gradient of the activation's output.</param>
    /// <param name="dx">Receives the gradient of the activation's input.</param>
    /// <param name="slope">The slope for inputs at or below 0.</param>
    /// <exception cref="ArgumentException">signSource and dy differ in length, or dx is shorter than dy.</exception>
    public static void LeakyReluBackward(ReadOnlySpan<float> signSource, ReadOnlySpan<float> dy, Span<float> dx, float slope)
    {
        Elementwise.RequireBackwardLengths(signSource.Length, nameof(signSource), dy.Length, dx.Length);
        fixed (float* psource = signSource, pdy = dy, pdx = dx)
        {
            Elementwise.Map(new LeakyReluGradientFunction(slope), psource, pdy, pdx, dy.Length);
        }
    }

    /// <summary>
    /// Computes PReLU, y = x &gt; 0 ? x : slopes[c] * x, for x laid out [batchSize, channels, planeSize] with one slope
    /// per channel. A layer with one shared slope passes channels = 1 and the whole example as the plane. y may be the
    /// same span as x.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">batchSize, channels or planeSize is negative.</exception>
    /// <exception cref="ArgumentException">x, y or slopes is shorter than the shape requires.</exception>
    public static void PRelu(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> slopes, int batchSize, int channels, int planeSize)
    {
        ValidatePRelu(x.Length, y.Length, "y", slopes.Length, batchSize, channels, planeSize);
        fixed (float* px = x, py = y, pslopes = slopes)
        {
            for (int n = 0; n < batchSize; n++)
            {
                for (int c = 0; c < channels; c++)
                {
                    nint start = ((nint)n * channels + c) * planeSize;
                    Elementwise.Map(new LeakyReluFunction(pslopes[c]), px + start, py + start, planeSize);
                }
            }
        }
    }

    /// <summary>
    /// Computes the PReLU gradients: dx = x &gt; 0 ? dy : slopes[c] * dy, and adds to slopeGradients[c] the sum over the
    /// batch and the plane of dy * x where x &gt; 0 is false. dx may be the same span as dy.
    /// </summary>
    /// <remarks>
    /// An input of exactly 0 contributes 0 to the slope gradient and gives slopes[c] * dy, as in PyTorch's backward.
    /// Each channel's slope gradient is summed in double and added to slopeGradients[c] with one rounding.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">batchSize, channels or planeSize is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than the shape requires.</exception>
    public static void PReluBackward(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy,
        Span<float> dx,
        ReadOnlySpan<float> slopes,
        Span<float> slopeGradients,
        int batchSize,
        int channels,
        int planeSize)
    {
        ValidatePRelu(x.Length, dx.Length, "dx", slopes.Length, batchSize, channels, planeSize);
        long length = (long)batchSize * channels * planeSize;
        KernelArguments.RequireLength(dy.Length, length, nameof(dy), "batchSize * channels * planeSize");
        KernelArguments.RequireLength(slopeGradients.Length, channels, nameof(slopeGradients), nameof(channels));
        fixed (float* px = x, pdy = dy, pdx = dx, pslopes = slopes, pslopeGradients = slopeGradients)
        {
            for (int c = 0; c < channels; c++)
            {
                double slopeGradient = 0.0;
                var function = new LeakyReluGradientFunction(pslopes[c]);
                for (int n = 0; n < batchSize; n++)
                {
                    // Each row's dy is summed before dx overwrites it, so dx may be dy.
                    nint start = ((nint)n * channels + c) * planeSize;
                    slopeGradient += RowReductions.SumNonPositiveProducts(px + start, pdy + start, planeSize);
                    Elementwise.Map(function, px + start, pdy + start, pdx + start, planeSize);
                }

                pslopeGradients[c] = (float)(pslopeGradients[c] + slopeGradient);
            }
        }
    }

    private static void ValidatePRelu(
        int xLength, int outputLength, string outputName, int slopesLength, int batchSize, int channels, int planeSize)
    {
        KernelArguments.RequireNonNegative(batchSize);
        KernelArguments.RequireNonNegative(channels);
        KernelArguments.RequireNonNegative(planeSize);
        long length = (long)batchSize * channels * planeSize;
        KernelArguments.RequireLength(xLength, length, "x", "batchSize * channels * planeSize");
        KernelArguments.RequireLength(outputLength, length, outputName, "batchSize * channels * planeSize");
        KernelArguments.RequireLength(slopesLength, channels, "slopes", nameof(channels));
    }

    /// <summary>x &gt; 0 ? x : slope * x.</summary>
    private readonly struct LeakyReluFunction(float slope) : IUnaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float x) => x > 0f ? x : x * slope;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply<TOperations, TVector>(TVector x)
            where TOperations : struct, IArithmeticOperations<TVector>
            where TVector : struct =>
            TOperations.ConditionalSelect(
                TOperations.GreaterThan(x, TOperations.Zero), x, TOperations.Multiply(x, TOperations.Broadcast(slope)));
    }

    /// <summary>(source, dy) to source &gt; 0 ? dy : slope * dy.</summary>
    private readonly struct LeakyReluGradientFunction(float slope) : IBinaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float source, float dy) => source > 0f ? dy : dy * slope;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply<TOperations, TVector>(TVector source, TVector dy)
            where TOperations : struct, IArithmeticOperations<TVector>
            where TVector : struct =>
            TOperations.ConditionalSelect(
                TOperations.GreaterThan(source, TOperations.Zero), dy, TOperations.Multiply(dy, TOperations.Broadcast(slope)));
    }
}

using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>Element-wise activation functions and their gradients.</summary>
/// <remarks>
/// Each method uses the widest accelerated vector type (Vector512, Vector256, then Vector128) that fits the length,
/// and a scalar loop below that. The last partial vector is recomputed at length - Count, which rewrites some
/// outputs with the same values. That is why an output may be the same span as an input, but it must not
/// partly overlap one.
/// </remarks>
public static unsafe partial class Activations
{
    /// <summary>
    /// Computes y = max(0, x) per element, writing x.Length elements of y. x and y may be the same span.
    /// A NaN input gives NaN, as in PyTorch, and -0 gives +0.
    /// </summary>
    /// <exception cref="ArgumentException">y is shorter than x.</exception>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelArguments.RequireLength(y.Length, x.Length, nameof(y), "x.Length");
        fixed (float* px = x, py = y)
        {
            switch (VectorMath.SelectWidth(x.Length))
            {
                case 512:
                    ActivationKernel<Vector512Operations, Vector512<float>>.Relu(px, py, x.Length);
                    break;
                case 256:
                    ActivationKernel<Vector256Operations, Vector256<float>>.Relu(px, py, x.Length);
                    break;
                case 128:
                    ActivationKernel<Vector128Operations, Vector128<float>>.Relu(px, py, x.Length);
                    break;
                default:
                    // MathF.Max follows IEEE 754-2019 maximum like the vector paths: NaN propagates and max(-0, 0) is +0.
                    for (int i = 0; i < x.Length; i++)
                    {
                        py[i] = MathF.Max(px[i], 0f);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Computes the ReLU gradient dx = y &gt; 0 ? dy : 0 per element from the forward output <paramref name="y"/>,
    /// writing dy.Length elements of dx. dx may be the same span as dy. A NaN in y gives 0.
    /// </summary>
    /// <exception cref="ArgumentException">y and dy differ in length, or dx is shorter than dy.</exception>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (y.Length != dy.Length)
        {
            throw new ArgumentException(
                $"dy has {dy.Length} elements, but y has {y.Length}. The lengths must be equal.", nameof(dy));
        }

        KernelArguments.RequireLength(dx.Length, dy.Length, nameof(dx), "dy.Length");
        fixed (float* py = y, pdy = dy, pdx = dx)
        {
            switch (VectorMath.SelectWidth(y.Length))
            {
                case 512:
                    ActivationKernel<Vector512Operations, Vector512<float>>.ReluBackward(py, pdy, pdx, y.Length);
                    break;
                case 256:
                    ActivationKernel<Vector256Operations, Vector256<float>>.ReluBackward(py, pdy, pdx, y.Length);
                    break;
                case 128:
                    ActivationKernel<Vector128Operations, Vector128<float>>.ReluBackward(py, pdy, pdx, y.Length);
                    break;
                default:
                    for (int i = 0; i < y.Length; i++)
                    {
                        pdx[i] = py[i] > 0f ? pdy[i] : 0f;
                    }

                    break;
            }
        }
    }

    /// <summary>Vector bodies of the activations for one vector width. Each requires length &gt;= Count.</summary>
    private static class ActivationKernel<TOperations, TVector>
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        public static void Relu(float* x, float* y, int length)
        {
            int width = TOperations.Count;
            TVector zero = TOperations.Zero;
            int i = 0;
            for (; i <= length - 2 * width; i += 2 * width)
            {
                TVector y0 = TOperations.Max(TOperations.Load(x + i), zero);
                TVector y1 = TOperations.Max(TOperations.Load(x + i + width), zero);
                TOperations.Store(y0, y + i);
                TOperations.Store(y1, y + i + width);
            }

            for (; i <= length - width; i += width)
            {
                TOperations.Store(TOperations.Max(TOperations.Load(x + i), zero), y + i);
            }

            if (i < length)
            {
                int last = length - width;
                TOperations.Store(TOperations.Max(TOperations.Load(x + last), zero), y + last);
            }
        }

        public static void ReluBackward(float* y, float* dy, float* dx, int length)
        {
            int width = TOperations.Count;
            TVector zero = TOperations.Zero;
            int i = 0;
            for (; i <= length - 2 * width; i += 2 * width)
            {
                TVector dx0 = TOperations.BitwiseAnd(TOperations.GreaterThan(TOperations.Load(y + i), zero), TOperations.Load(dy + i));
                TVector dx1 = TOperations.BitwiseAnd(
                    TOperations.GreaterThan(TOperations.Load(y + i + width), zero), TOperations.Load(dy + i + width));
                TOperations.Store(dx0, dx + i);
                TOperations.Store(dx1, dx + i + width);
            }

            for (; i <= length - width; i += width)
            {
                TOperations.Store(
                    TOperations.BitwiseAnd(TOperations.GreaterThan(TOperations.Load(y + i), zero), TOperations.Load(dy + i)),
                    dx + i);
            }

            if (i < length)
            {
                int last = length - width;
                TOperations.Store(
                    TOperations.BitwiseAnd(TOperations.GreaterThan(TOperations.Load(y + last), zero), TOperations.Load(dy + last)),
                    dx + last);
            }
        }
    }
}

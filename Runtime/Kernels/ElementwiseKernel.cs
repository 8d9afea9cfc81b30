using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>A function of one float that the element-wise kernels apply to scalars and to vectors alike.</summary>
/// <remarks>Both overloads must give the same bits for the same input, so that a lane and a scalar agree.</remarks>
internal interface IUnaryFunction
{
    float Apply(float x);

    TVector Apply<TOperations, TVector>(TVector x)
        where TOperations : struct, IArithmeticOperations<TVector>
        where TVector : struct;
}

/// <summary>A function of two floats, for gradients such as dx = f(y, dy); see <see cref="IUnaryFunction"/>.</summary>
internal interface IBinaryFunction
{
    float Apply(float first, float second);

    TVector Apply<TOperations, TVector>(TVector first, TVector second)
        where TOperations : struct, IArithmeticOperations<TVector>
        where TVector : struct;
}

/// <summary>
/// Applies an <see cref="IUnaryFunction"/> or <see cref="IBinaryFunction"/> to every element, with the widest
/// accelerated vector type that fits the length and a scalar loop below that, and checks element-wise arguments.
/// </summary>
/// <remarks>
/// The last partial vector is recomputed at length - Count, and only its lanes that were not yet written are
/// stored. An output may therefore be the same span as an input, including for functions that are not idempotent,
/// such as LeakyReLU, but it must not partly overlap one.
/// </remarks>
internal static unsafe class Elementwise
{
    /// <summary>Computes result[i] = function(x[i]) for i &lt; length.</summary>
    public static void Map<TFunction>(TFunction function, float* x, float* result, int length)
        where TFunction : struct, IUnaryFunction
    {
        switch (VectorMath.SelectWidth(length))
        {
            case 512:
                ElementwiseKernel<Vector512Arithmetic, Vector512<float>>.Map(function, x, result, length);
                break;
            case 256:
                ElementwiseKernel<Vector256Arithmetic, Vector256<float>>.Map(function, x, result, length);
                break;
            case 128:
                ElementwiseKernel<Vector128Arithmetic, Vector128<float>>.Map(function, x, result, length);
                break;
            default:
                for (int i = 0; i < length; i++)
                {
                    result[i] = function.Apply(x[i]);
                }

                break;
        }
    }

    /// <summary>Computes result[i] = function(first[i], second[i]) for i &lt; length.</summary>
    public static void Map<TFunction>(TFunction function, float* first, float* second, float* result, int length)
        where TFunction : struct, IBinaryFunction
    {
        switch (VectorMath.SelectWidth(length))
        {
            case 512:
                ElementwiseKernel<Vector512Arithmetic, Vector512<float>>.Map(function, first, second, result, length);
                break;
            case 256:
                ElementwiseKernel<Vector256Arithmetic, Vector256<float>>.Map(function, first, second, result, length);
                break;
            case 128:
                ElementwiseKernel<Vector128Arithmetic, Vector128<float>>.Map(function, first, second, result, length);
                break;
            default:
                for (int i = 0; i < length; i++)
                {
                    result[i] = function.Apply(first[i], second[i]);
                }

                break;
        }
    }

    /// <summary>Throws unless the output of a forward activation has at least x.Length elements.</summary>
    public static void RequireForwardLengths(int xLength, int yLength)
    {
        KernelArguments.RequireLength(yLength, xLength, "y", "x.Length");
    }

    /// <summary>
    /// Throws unless the input that a gradient reads (<paramref name="sourceName"/>) has as many elements as dy, and dx
    /// has at least that many.
    /// </summary>
    public static void RequireBackwardLengths(int sourceLength, string sourceName, int dyLength, int dxLength)
    {
        if (sourceLength != dyLength)
        {
            throw new ArgumentException(
                $"dy has {dyLength} elements, but {sourceName} has {sourceLength}. The lengths must be equal.", "dy");
        }

        KernelArguments.RequireLength(dxLength, dyLength, "dx", "dy.Length");
    }
}

/// <summary>Vector bodies of <see cref="Elementwise"/> for one vector width; each requires length &gt;= Count.</summary>
internal static unsafe class ElementwiseKernel<TOperations, TVector>
    where TOperations : struct, IArithmeticOperations<TVector>
    where TVector : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<TFunction>(TFunction function, float* x, float* result, int length)
        where TFunction : struct, IUnaryFunction
    {
        int width = TOperations.Count;
        int i = 0;
        for (; i <= length - 2 * width; i += 2 * width)
        {
            TVector result0 = function.Apply<TOperations, TVector>(TOperations.Load(x + i));
            TVector result1 = function.Apply<TOperations, TVector>(TOperations.Load(x + i + width));
            TOperations.Store(result0, result + i);
            TOperations.Store(result1, result + i + width);
        }

        for (; i <= length - width; i += width)
        {
            TOperations.Store(function.Apply<TOperations, TVector>(TOperations.Load(x + i)), result + i);
        }

        if (i < length)
        {
            // When result is x, the lanes before i already hold outputs; the mask keeps them.
            int last = length - width;
            TVector old = TOperations.Load(result + last);
            TVector updated = function.Apply<TOperations, TVector>(TOperations.Load(x + last));
            TOperations.Store(TOperations.ConditionalSelect(TOperations.TailMask(length - i), updated, old), result + last);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<TFunction>(TFunction function, float* first, float* second, float* result, int length)
        where TFunction : struct, IBinaryFunction
    {
        int width = TOperations.Count;
        int i = 0;
        for (; i <= length - 2 * width; i += 2 * width)
        {
            TVector result0 = function.Apply<TOperations, TVector>(TOperations.Load(first + i), TOperations.Load(second + i));
            TVector result1 = function.Apply<TOperations, TVector>(TOperations.Load(first + i + width), TOperations.Load(second + i + width));
            TOperations.Store(result0, result + i);
            TOperations.Store(result1, result + i + width);
        }

        for (; i <= length - width; i += width)
        {
            TOperations.Store(function.Apply<TOperations, TVector>(TOperations.Load(first + i), TOperations.Load(second + i)), result + i);
        }

        if (i < length)
        {
            int last = length - width;
            TVector old = TOperations.Load(result + last);
            TVector updated = function.Apply<TOperations, TVector>(TOperations.Load(first + last), TOperations.Load(second + last));
            TOperations.Store(TOperations.ConditionalSelect(TOperations.TailMask(length - i), updated, old), result + last);
        }
    }
}

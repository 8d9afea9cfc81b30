using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>Maxout: the maximum over groups of consecutive channels, and its gradient.</summary>
/// <remarks>
/// A group's maximum comes from a scan in channel order that replaces the running maximum when an element is
/// greater or is NaN, the rule of <see cref="Pooling"/>. Ties therefore go to the first maximum, and a group that
/// contains NaN outputs NaN with the index of its last NaN. Planes of at least 4 values are scanned with vectors
/// along the plane, smaller ones (a flat input has planes of 1) with a scalar loop.
/// </remarks>
public static unsafe partial class Activations
{
    /// <summary>
    /// Computes y[n, c, p] = max over j &lt; pieces of x[n, c * pieces + j, p] for x laid out
    /// [batchSize, channels * pieces, planeSize] and y laid out [batchSize, channels, planeSize], and stores in
    /// argmax the index into x of the first maximum of each group, for <see cref="MaxoutBackward"/>.
    /// </summary>
    /// <param name="x">The input, batchSize * channels * pieces * planeSize values.</param>
    /// <param name="y">Receives batchSize * channels * planeSize values.</param>
    /// <param name="argmax">Receives one absolute index into x per output.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="channels">Output channels; the input has channels * pieces.</param>
    /// <param name="pieces">Input channels per group, at least 1.</param>
    /// <param name="planeSize">Values per channel (height * width), 1 for a flat input.</param>
    /// <exception cref="ArgumentOutOfRangeException">batchSize, channels or planeSize is negative, or pieces is below 1.</exception>
    /// <exception cref="ArgumentException">x, y or argmax is shorter than the shape requires.</exception>
    public static void Maxout(
        ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int batchSize, int channels, int pieces, int planeSize)
    {
        KernelArguments.RequireNonNegative(batchSize);
        KernelArguments.RequireNonNegative(channels);
        KernelArguments.RequirePositive(pieces);
        KernelArguments.RequireNonNegative(planeSize);
        long outputLength = (long)batchSize * channels * planeSize;
        KernelArguments.RequireLength(x.Length, outputLength * pieces, nameof(x), "batchSize * channels * pieces * planeSize");
        KernelArguments.RequireLength(y.Length, outputLength, nameof(y), "batchSize * channels * planeSize");
        KernelArguments.RequireLength(argmax.Length, outputLength, nameof(argmax), "batchSize * channels * planeSize");

        int groups = batchSize * channels;
        fixed (float* px = x, py = y)
        fixed (int* pargmax = argmax)
        {
            switch (VectorMath.SelectWidth(planeSize))
            {
                case 512:
                    MaxoutKernel<Vector512Arithmetic, Vector512<float>>.Maxout(px, py, pargmax, groups, pieces, planeSize);
                    break;
                case 256:
                    MaxoutKernel<Vector256Arithmetic, Vector256<float>>.Maxout(px, py, pargmax, groups, pieces, planeSize);
                    break;
                case 128:
                    MaxoutKernel<Vector128Arithmetic, Vector128<float>>.Maxout(px, py, pargmax, groups, pieces, planeSize);
                    break;
                default:
                    MaxoutScalar(px, py, pargmax, groups, pieces, planeSize, 0);
                    break;
            }
        }
    }

    /// <summary>
    /// Computes the maxout input gradient: clears all of <paramref name="dx"/>, then adds each dy[i] to dx[argmax[i]].
    /// </summary>
    /// <param name="dy">Gradient of each output.</param>
    /// <param name="argmax">The indexes from <see cref="Maxout"/>, at least dy.Length of them.</param>
    /// <param name="dx">Receives the gradient of the input; it must not overlap dy.</param>
    /// <exception cref="ArgumentException">argmax is shorter than dy, or an index is outside dx. dx is unchanged then.</exception>
    public static void MaxoutBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        KernelArguments.RequireLength(argmax.Length, dy.Length, nameof(argmax), "dy.Length");
        for (int i = 0; i < dy.Length; i++)
        {
            if ((uint)argmax[i] >= (uint)dx.Length)
            {
                throw new ArgumentException(
                    $"argmax[{i}] is {argmax[i]}, outside dx, which has {dx.Length} elements.", nameof(argmax));
            }
        }

        dx.Clear();
        for (int i = 0; i < dy.Length; i++)
        {
            dx[argmax[i]] += dy[i];
        }
    }

    /// <summary>
    /// Scans positions [start, planeSize) of every group with scalar code. A group is one output channel of one
    /// example: <paramref name="pieces"/> input planes in a row, and one output plane.
    /// </summary>
    internal static void MaxoutScalar(float* x, float* y, int* argmax, int groups, int pieces, int planeSize, int start)
    {
        for (int group = 0; group < groups; group++)
        {
            nint groupStart = (nint)group * pieces * planeSize;
            nint outputStart = (nint)group * planeSize;
            for (int p = start; p < planeSize; p++)
            {
                nint bestIndex = groupStart + p;
                float best = x[bestIndex];
                for (int j = 1; j < pieces; j++)
                {
                    nint index = groupStart + ((nint)j * planeSize) + p;
                    float value = x[index];
                    if (value > best || float.IsNaN(value))
                    {
                        best = value;
                        bestIndex = index;
                    }
                }

                y[outputStart + p] = best;
                argmax[outputStart + p] = (int)bestIndex;
            }
        }
    }
}

/// <summary>Vector path of <see cref="Activations.Maxout"/> for one vector width; requires planeSize &gt;= Count.</summary>
internal static unsafe class MaxoutKernel<TOperations, TVector>
    where TOperations : struct, IArithmeticOperations<TVector>
    where TVector : struct
{
    public static void Maxout(float* x, float* y, int* argmax, int groups, int pieces, int planeSize)
    {
        int width = TOperations.Count;
        int vectorEnd = planeSize - (planeSize % width);
        for (int group = 0; group < groups; group++)
        {
            int groupStart = group * pieces * planeSize;
            int outputStart = group * planeSize;
            for (int p = 0; p < vectorEnd; p += width)
            {
                // offset is the chosen piece's distance from the first piece, as int32 lanes.
                TVector best = TOperations.Load(x + groupStart + p);
                TVector offset = TOperations.Zero;
                for (int j = 1; j < pieces; j++)
                {
                    TVector candidate = TOperations.Load(x + groupStart + (j * planeSize) + p);
                    TVector replaces = TOperations.ReplacesMaximum(candidate, best);
                    best = TOperations.ConditionalSelect(replaces, candidate, best);
                    offset = TOperations.ConditionalSelect(replaces, TOperations.BroadcastInt32(j * planeSize), offset);
                }

                TVector indexes = TOperations.AddInt32(TOperations.BroadcastInt32(groupStart + p), TOperations.Int32Indices);
                TOperations.Store(best, y + outputStart + p);
                TOperations.Store(TOperations.AddInt32(indexes, offset), (float*)(argmax + outputStart + p));
            }
        }

        if (vectorEnd < planeSize)
        {
            Activations.MaxoutScalar(x, y, argmax, groups, pieces, planeSize, vectorEnd);
        }
    }
}

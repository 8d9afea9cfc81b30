using System.Runtime.CompilerServices;

namespace ModelCompiler.Kernels;

/// <summary>
/// Vector path of <see cref="Pooling"/> for 2 x 2 windows with stride 2, for one vector width.
/// </summary>
/// <remarks>
/// One block computes Count neighbouring outputs of a row: it loads 2 x Count values from each of the two input
/// rows and splits them into even and odd columns, which gives the four window elements of every output as four
/// vectors. They are scanned in row-major order with the rule of <see cref="Pooling"/>. The last block starts at
/// outWidth - Count and rewrites some outputs with the same values. The caller guarantees outWidth &gt;= Count.
/// </remarks>
internal static unsafe class MaxPoolKernel<TOperations, TVector>
    where TOperations : struct, IVectorOperations<TVector>
    where TVector : struct
{
    /// <summary>Pools every plane, writing indexes only when <paramref name="argmax"/> is not null.</summary>
    public static void Pool2x2(
        float* input, float* output, int* argmax, int planes, int height, int width, int outHeight, int outWidth)
    {
        int count = TOperations.Count;
        for (int plane = 0; plane < planes; plane++)
        {
            for (int oy = 0; oy < outHeight; oy++)
            {
                int rowStart = (plane * height + 2 * oy) * width;
                nint outputStart = ((nint)plane * outHeight + oy) * outWidth;
                if (argmax == null)
                {
                    int ox = 0;
                    for (; ox <= outWidth - count; ox += count)
                    {
                        PoolBlock(input + rowStart + 2 * ox, width, output + outputStart + ox);
                    }

                    if (ox < outWidth)
                    {
                        ox = outWidth - count;
                        PoolBlock(input + rowStart + 2 * ox, width, output + outputStart + ox);
                    }
                }
                else
                {
                    int ox = 0;
                    for (; ox <= outWidth - count; ox += count)
                    {
                        PoolBlockWithIndexes(input, rowStart + 2 * ox, width, output + outputStart + ox, argmax + outputStart + ox);
                    }

                    if (ox < outWidth)
                    {
                        ox = outWidth - count;
                        PoolBlockWithIndexes(input, rowStart + 2 * ox, width, output + outputStart + ox, argmax + outputStart + ox);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PoolBlock(float* top, int width, float* output)
    {
        int count = TOperations.Count;
        TVector lower = TOperations.Load(top);
        TVector upper = TOperations.Load(top + count);
        TVector best = TOperations.EvenLanes(lower, upper);
        TVector topRight = TOperations.OddLanes(lower, upper);
        lower = TOperations.Load(top + width);
        upper = TOperations.Load(top + width + count);
        TVector bottomLeft = TOperations.EvenLanes(lower, upper);
        TVector bottomRight = TOperations.OddLanes(lower, upper);

        best = TOperations.ConditionalSelect(TOperations.ReplacesMaximum(topRight, best), topRight, best);
        best = TOperations.ConditionalSelect(TOperations.ReplacesMaximum(bottomLeft, best), bottomLeft, best);
        best = TOperations.ConditionalSelect(TOperations.ReplacesMaximum(bottomRight, best), bottomRight, best);
        TOperations.Store(best, output);
    }

    /// <summary>Pools one block whose first window starts at input[windowStart], storing values and absolute indexes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PoolBlockWithIndexes(float* input, int windowStart, int width, float* output, int* argmax)
    {
        int count = TOperations.Count;
        float* top = input + windowStart;
        TVector lower = TOperations.Load(top);
        TVector upper = TOperations.Load(top + count);
        TVector best = TOperations.EvenLanes(lower, upper);
        TVector topRight = TOperations.OddLanes(lower, upper);
        lower = TOperations.Load(top + width);
        upper = TOperations.Load(top + width + count);
        TVector bottomLeft = TOperations.EvenLanes(lower, upper);
        TVector bottomRight = TOperations.OddLanes(lower, upper);

        // offset is the chosen element's distance from the window's top-left element, as int32 lanes.
        TVector mask = TOperations.ReplacesMaximum(topRight, best);
        best = TOperations.ConditionalSelect(mask, topRight, best);
        TVector offset = TOperations.BitwiseAnd(mask, TOperations.BroadcastInt32(1));

        mask = TOperations.ReplacesMaximum(bottomLeft, best);
        best = TOperations.ConditionalSelect(mask, bottomLeft, best);
        offset = TOperations.ConditionalSelect(mask, TOperations.BroadcastInt32(width), offset);

        mask = TOperations.ReplacesMaximum(bottomRight, best);
        best = TOperations.ConditionalSelect(mask, bottomRight, best);
        offset = TOperations.ConditionalSelect(mask, TOperations.BroadcastInt32(width + 1), offset);

        TVector windowStarts = TOperations.AddInt32(TOperations.BroadcastInt32(windowStart), TOperations.EvenInt32Sequence);
        TOperations.Store(best, output);
        TOperations.Store(TOperations.AddInt32(windowStarts, offset), (float*)argmax);
    }
}

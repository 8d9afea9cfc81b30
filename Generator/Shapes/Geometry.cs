using System;
using System.Collections.Generic;
using System.Globalization;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// One spatial dimension of a convolution or pooling window: input size, kernel size, dilation, stride and padding.
    /// </summary>
    internal readonly struct Dimension
    {
        public Dimension(int input, int size, int dilation, int stride, int padding)
        {
            Input = input;
            Size = size;
            Dilation = dilation;
            Stride = stride;
            Padding = padding;
        }

        public int Input { get; }

        public int Size { get; }

        public int Dilation { get; }

        public int Stride { get; }

        public int Padding { get; }

        /// <summary>The span the kernel covers: D*(F - 1) + 1.</summary>
        public long EffectiveSize => (long)Dilation * (Size - 1) + 1;

        public long PaddedInput => Input + 2L * Padding;

        public Dimension With(int? size = null, int? stride = null, int? padding = null) =>
            new Dimension(Input, size ?? Size, Dilation, stride ?? Stride, padding ?? Padding);
    }

    /// <summary>
    /// The standard output-size rule (W + 2P - D*(F - 1) - 1)/S + 1, which is (W - F + 2P)/S + 1 for a dense kernel
    /// and (W - F)/S + 1 for pooling without padding, and the search for nearby settings that make it whole.
    /// </summary>
    internal static class Geometry
    {
        /// <summary>Most candidates a suggestion search tries in each direction, so that huge strides stay cheap.</summary>
        private const int MaxSearch = 1024;

        /// <summary>
        /// Returns the output size, or null when the kernel does not fit or the division is not exact. The size is a long
        /// because a huge padding can exceed an int; callers reject sizes over their limit.
        /// </summary>
        public static long? OutputSizeLong(Dimension dimension)
        {
            long span = dimension.PaddedInput - dimension.EffectiveSize;
            if (span < 0 || dimension.Stride <= 0 || span % dimension.Stride != 0)
            {
                return null;
            }

            return span / dimension.Stride + 1;
        }

        /// <summary>Returns the output size when it is whole and fits an int, otherwise null.</summary>
        public static int? OutputSize(Dimension dimension)
        {
            long? size = OutputSizeLong(dimension);
            return size is null || size > int.MaxValue ? null : (int)size.Value;
        }

        /// <summary>Formats the rule with the actual numbers, for example "(28 - 5 + 2*0)/3 + 1".</summary>
        public static string Arithmetic(Dimension d, bool hasPadding)
        {
            if (d.Dilation != 1)
            {
                return string.Format(CultureInfo.InvariantCulture, "({0} + 2*{1} - {2}*({3} - 1) - 1)/{4} + 1", d.Input, d.Padding, d.Dilation, d.Size, d.Stride);
            }

            return hasPadding || d.Padding != 0
                ? string.Format(CultureInfo.InvariantCulture, "({0} - {1} + 2*{2})/{3} + 1", d.Input, d.Size, d.Padding, d.Stride)
                : string.Format(CultureInfo.InvariantCulture, "({0} - {1})/{2} + 1", d.Input, d.Size, d.Stride);
        }

        /// <summary>The exact value of the rule as a decimal with at most two places, for example "8.67".</summary>
        public static string ExactValue(Dimension d)
        {
            double value = ((double)d.PaddedInput - d.EffectiveSize) / d.Stride + 1;

            // Two decimals can round a fraction such as 1.000023 to "1", which would read as a whole number.
            foreach (string format in new[] { "0.##", "0.######" })
            {
                string text = value.ToString(format, CultureInfo.InvariantCulture);
                if (text.Contains("."))
                {
                    return text;
                }
            }

            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// Paddings from 0 up to the current padding plus the stride that give whole outputs in every listed dimension,
        /// nearest first, at most two.
        /// </summary>
        public static List<int> NearestPaddings(IReadOnlyList<Dimension> dimensions)
        {
            int padding = dimensions[0].Padding, stride = dimensions[0].Stride;
            var found = new List<int>();
            for (int distance = 1; distance <= Math.Min(stride, MaxSearch) && found.Count < 2; distance++)
            {
                foreach (int candidate in new[] { padding - distance, padding + distance })
                {
                    if (candidate >= 0 && found.Count < 2 && AllWhole(dimensions, d => d.With(padding: candidate)))
                    {
                        found.Add(candidate);
                    }
                }
            }

            return found;
        }

        /// <summary>The nearest stride below and the nearest above the current one that give whole outputs.</summary>
        public static List<int> NearestStrides(IReadOnlyList<Dimension> dimensions)
        {
            int stride = dimensions[0].Stride;
            var found = new List<int>();
            long limit = 1;
            foreach (var dimension in dimensions)
            {
                limit = Math.Max(limit, dimension.PaddedInput - dimension.EffectiveSize);
            }

            // A valid stride divides the span, so none is larger than the span.
            for (long candidate = Math.Min(stride - 1L, limit); candidate >= Math.Max(1L, Math.Min(stride - 1L, limit) - MaxSearch); candidate--)
            {
                if (AllWhole(dimensions, d => d.With(stride: (int)candidate)))
                {
                    found.Add((int)candidate);
                    break;
                }
            }

            for (long candidate = stride + 1L; candidate <= Math.Min(limit, stride + (long)MaxSearch); candidate++)
            {
                if (AllWhole(dimensions, d => d.With(stride: (int)candidate)))
                {
                    found.Add((int)candidate);
                    break;
                }
            }

            return found;
        }

        /// <summary>The nearest kernel sizes below and above the current one that give whole outputs.</summary>
        public static List<int> NearestSizes(IReadOnlyList<Dimension> dimensions)
        {
            int size = dimensions[0].Size, stride = dimensions[0].Stride;
            var found = new List<int>();
            for (int candidate = size - 1; candidate >= Math.Max(1, size - MaxSearch); candidate--)
            {
                if (AllWhole(dimensions, d => d.With(size: candidate)))
                {
                    found.Add(candidate);
                    break;
                }
            }

            for (long candidate = size + 1L; candidate <= size + (long)Math.Min(stride, MaxSearch) && candidate <= int.MaxValue; candidate++)
            {
                if (AllWhole(dimensions, d => d.With(size: (int)candidate)))
                {
                    found.Add((int)candidate);
                    break;
                }
            }

            return found;
        }

        /// <summary>Formats the outputs of the dimensions, as "10" for one or equal ones and "10x9" for height and width.</summary>
        public static string DescribeOutputs(IReadOnlyList<Dimension> dimensions, Func<Dimension, Dimension> change)
        {
            var sizes = new List<string>();
            foreach (var dimension in dimensions)
            {
                sizes.Add((OutputSize(change(dimension)) ?? 0).ToString(CultureInfo.InvariantCulture));
            }

            return sizes.Count == 2 && sizes[0] == sizes[1] ? sizes[0] : string.Join("x", sizes);
        }

        private static bool AllWhole(IReadOnlyList<Dimension> dimensions, Func<Dimension, Dimension> change)
        {
            foreach (var dimension in dimensions)
            {
                if (OutputSize(change(dimension)) is null)
                {
                    return false;
                }
            }

            return true;
        }
    }
}

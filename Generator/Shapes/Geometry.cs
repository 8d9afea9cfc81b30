using System.Collections.Generic;
using System.Globalization;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// The standard output-size rules: (W - F + 2P)/S + 1 for a convolution and (W - F)/S + 1 for pooling,
    /// and the search for nearby settings that make a non-integral size whole.
    /// </summary>
    internal static class Geometry
    {
        /// <summary>Returns the output size, or null when the kernel does not fit or the division is not exact.</summary>
        public static int? OutputSize(int input, int size, int stride, int padding)
        {
            long span = (long)input - size + 2L * padding;
            if (span < 0 || stride <= 0 || span % stride != 0)
            {
                return null;
            }

            return (int)(span / stride + 1);
        }

        /// <summary>Formats the rule with the actual numbers, for example "(28 - 5 + 2*0)/3 + 1".</summary>
        public static string Arithmetic(int input, int size, int stride, int padding, bool hasPadding) =>
            hasPadding
                ? string.Format(CultureInfo.InvariantCulture, "({0} - {1} + 2*{2})/{3} + 1", input, size, padding, stride)
                : string.Format(CultureInfo.InvariantCulture, "({0} - {1})/{2} + 1", input, size, stride);

        /// <summary>The exact value of the rule as a decimal with at most two places, for example "8.67".</summary>
        public static string ExactValue(int input, int size, int stride, int padding) =>
            (((double)input - size + 2.0 * padding) / stride + 1).ToString("0.##", CultureInfo.InvariantCulture);

        /// <summary>
        /// Paddings from 0 to <paramref name="padding"/> + <paramref name="stride"/> that give whole outputs for
        /// every listed input size, nearest to <paramref name="padding"/> first, at most two.
        /// </summary>
        public static List<int> NearestPaddings(IReadOnlyList<int> inputs, int size, int stride, int padding)
        {
            var found = new List<int>();
            for (int distance = 1; distance <= stride && found.Count < 2; distance++)
            {
                foreach (int candidate in new[] { padding - distance, padding + distance })
                {
                    if (candidate >= 0 && found.Count < 2 && AllWhole(inputs, size, stride, candidate))
                    {
                        found.Add(candidate);
                    }
                }
            }

            return found;
        }

        /// <summary>The nearest stride below and the nearest above <paramref name="stride"/> that give whole outputs.</summary>
        public static List<int> NearestStrides(IReadOnlyList<int> inputs, int size, int stride, int padding)
        {
            var found = new List<int>();
            for (int candidate = stride - 1; candidate >= 1; candidate--)
            {
                if (AllWhole(inputs, size, candidate, padding))
                {
                    found.Add(candidate);
                    break;
                }
            }

            int limit = MaxSpan(inputs, size, padding);
            for (int candidate = stride + 1; candidate <= limit; candidate++)
            {
                if (AllWhole(inputs, size, candidate, padding))
                {
                    found.Add(candidate);
                    break;
                }
            }

            return found;
        }

        /// <summary>The nearest window sizes below and above <paramref name="size"/> that give whole outputs.</summary>
        public static List<int> NearestSizes(IReadOnlyList<int> inputs, int size, int stride, int padding)
        {
            var found = new List<int>();
            for (int candidate = size - 1; candidate >= 1; candidate--)
            {
                if (AllWhole(inputs, candidate, stride, padding))
                {
                    found.Add(candidate);
                    break;
                }
            }

            for (int candidate = size + 1; candidate <= size + stride; candidate++)
            {
                if (AllWhole(inputs, candidate, stride, padding))
                {
                    found.Add(candidate);
                    break;
                }
            }

            return found;
        }

        private static bool AllWhole(IReadOnlyList<int> inputs, int size, int stride, int padding)
        {
            foreach (int input in inputs)
            {
                if (OutputSize(input, size, stride, padding) is null)
                {
                    return false;
                }
            }

            return true;
        }

        private static int MaxSpan(IReadOnlyList<int> inputs, int size, int padding)
        {
            long max = 1;
            foreach (int input in inputs)
            {
                long span = (long)input - size + 2L * padding;
                if (span > max)
                {
                    max = span;
                }
            }

            return (int)System.Math.Min(max, int.MaxValue);
        }
    }
}

using System.Globalization;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Culture-independent number formatting for emitted code and comments.</summary>
    internal static class Text
    {
        public static string Of(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Of(long value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>Formats a constant to add to an expression: " + 5", " - 5", or nothing for 0.</summary>
        public static string Plus(int value)
        {
            if (value == 0)
            {
                return string.Empty;
            }

            return value > 0 ? " + " + Of(value) : " - " + Of(-value);
        }

        /// <summary>Formats a shape as "8x28x28".</summary>
        public static string Shape(int channels, int height, int width) => Of(channels) + "x" + Of(height) + "x" + Of(width);

        /// <summary>Formats a count with thousands separators, as in "61,706", for comments.</summary>
        public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}

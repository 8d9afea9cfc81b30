using ModelCompiler.Generator.Diagnostics;
using ModelCompiler.Generator.Parsing;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// A window setting resolved to height and width from its square form (Size, Stride, ...) or its per-dimension
    /// form (KernelHeight and KernelWidth, ...), with the argument that set each dimension for diagnostics.
    /// </summary>
    internal sealed class Pair
    {
        private Pair(DeclaredArgument height, DeclaredArgument width, bool square)
        {
            HeightArgument = height;
            WidthArgument = width;
            IsSquare = square;
        }

        public DeclaredArgument HeightArgument { get; }

        public DeclaredArgument WidthArgument { get; }

        /// <summary>True when one square argument (or the default) sets both dimensions.</summary>
        public bool IsSquare { get; }

        public int Height => HeightArgument.IntValue;

        public int Width => WidthArgument.IntValue;

        public static Pair Fixed(int value)
        {
            var argument = new DeclaredArgument("Dilation", value, isSet: false, location: null);
            return new Pair(argument, argument, square: true);
        }

        /// <summary>
        /// Resolves the setting; reports MC0012 and returns null when the square form is combined with the per-dimension form.
        /// An unset dimension takes its fallback, which for a required kernel size is 0 and then fails the range check.
        /// </summary>
        public static Pair? Resolve(DeclaredLayer layer, string square, string heightName, string widthName, int fallbackHeight, int fallbackWidth, ValidationContext context)
        {
            bool squareSet = layer.IsSet(square), heightSet = layer.IsSet(heightName), widthSet = layer.IsSet(widthName);
            if (squareSet && (heightSet || widthSet))
            {
                var other = layer.Get(heightSet ? heightName : widthName, 0);
                context.Report(
                    DiagnosticDescriptors.ConflictingArguments,
                    other.Location,
                    layer.Name,
                    ValidationContext.Format(layer.Number),
                    square,
                    other.Name,
                    heightSet ? "height" : "width");
                return null;
            }

            if (squareSet || (!heightSet && !widthSet))
            {
                var argument = layer.Get(square, fallbackHeight == fallbackWidth ? fallbackHeight : (object?)null);
                if (squareSet || fallbackHeight == fallbackWidth)
                {
                    return new Pair(argument, argument, square: true);
                }
            }

            var height = heightSet ? layer.Get(heightName, 0) : Unset(layer, heightName, fallbackHeight);
            var width = widthSet ? layer.Get(widthName, 0) : Unset(layer, widthName, fallbackWidth);
            return new Pair(height, width, square: false);
        }

        public bool RequireAtLeast(DeclaredLayer layer, int minimum, ValidationContext context)
        {
            if (IsSquare)
            {
                return context.RequireAtLeast(layer, HeightArgument, minimum);
            }

            return context.RequireAtLeast(layer, HeightArgument, minimum) & context.RequireAtLeast(layer, WidthArgument, minimum);
        }

        /// <summary>Pooling padding may be at most half the window in each dimension, as PyTorch requires.</summary>
        public bool RequireAtMostHalf(DeclaredLayer layer, Pair kernel, ValidationContext context) =>
            AtMostHalf(layer, HeightArgument, kernel.Height, context) & (IsSquare && kernel.IsSquare || AtMostHalf(layer, WidthArgument, kernel.Width, context));

        private static bool AtMostHalf(DeclaredLayer layer, DeclaredArgument padding, int kernel, ValidationContext context)
        {
            if (padding.IntValue <= kernel / 2)
            {
                return true;
            }

            context.Report(
                DiagnosticDescriptors.InvalidLayerArgument,
                padding.Location,
                layer.Name,
                ValidationContext.Format(layer.Number),
                padding.Name,
                ValidationContext.Format(padding.IntValue),
                "at most half the window, " + ValidationContext.Format(kernel / 2));
            return false;
        }

        private static DeclaredArgument Unset(DeclaredLayer layer, string name, int fallback) =>
            new DeclaredArgument(name, fallback, isSet: false, layer.Location);
    }
}

using ModelCompiler.Generator.Diagnostics;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Parsing;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// Checks the arguments of one layer against its kind's rules and updates the running shape. Returns the
    /// layer's spec, or null when an argument is invalid (the shape is then unknown for the layers after it).
    /// </summary>
    internal static class LayerValidator
    {
        public static LayerSpec? Validate(DeclaredLayer layer, ShapeState state, ValidationContext context)
        {
            switch (layer.Kind)
            {
                case LayerKind.Conv2D:
                case LayerKind.MaxPool2D:
                case LayerKind.AvgPool2D:
                    return WindowValidator.Validate(layer, state, context);
                case LayerKind.GlobalAvgPool2D:
                    if (context.RequireSpatial(layer, state))
                    {
                        state.Height = 1;
                        state.Width = 1;
                    }

                    return new LayerSpec(layer.Kind);
                case LayerKind.Dense:
                    return Dense(layer, state, context);
                case LayerKind.LeakyReLU:
                    return Real(layer, "Slope", 0.01, null, null, "a finite number", context);
                case LayerKind.ELU:
                    return Real(layer, "Alpha", 1.0, null, null, "a finite number", context);
                case LayerKind.Swish:
                    return Real(layer, "Beta", 1.0, null, null, "a finite number", context);
                case LayerKind.MulticlassHinge:
                    return Real(layer, "Margin", 1.0, null, null, "a finite number", context);
                case LayerKind.LayerNorm:
                    return LayerNorm(layer, state, context);
                case LayerKind.PReLU:
                    return new LayerSpec(layer.Kind) { Option = layer.Get("Shared", false).BoolValue };
                case LayerKind.GELU:
                    return Gelu(layer, context);
                case LayerKind.Maxout:
                    return Maxout(layer, state, context);
                case LayerKind.BatchNorm:
                    return BatchNorm(layer, context);
                case LayerKind.InstanceNorm:
                    return InstanceNorm(layer, state, context);
                case LayerKind.GroupNorm:
                    return GroupNorm(layer, state, context);
                default:
                    // ReLU, Sigmoid, Tanh, SELU and SoftmaxCrossEntropy have no arguments and keep the shape.
                    return new LayerSpec(layer.Kind);
            }
        }

        private static LayerSpec? Dense(DeclaredLayer layer, ShapeState state, ValidationContext context)
        {
            var units = layer.Get("Units", 0);
            if (!context.RequireAtLeast(layer, units, 1))
            {
                return null;
            }

            state.Channels = units.IntValue;
            state.Height = 1;
            state.Width = 1;
            state.FlattenedBy = layer;
            return new LayerSpec(LayerKind.Dense) { Units = units.IntValue };
        }

        private static LayerSpec? Real(DeclaredLayer layer, string name, double fallback, double? exclusiveMinimum, double? inclusiveMaximum, string requirement, ValidationContext context)
        {
            var argument = layer.Get(name, fallback);
            return context.RequireReal(layer, argument, exclusiveMinimum, inclusiveMaximum, requirement)
                ? new LayerSpec(layer.Kind) { Value = argument.DoubleValue }
                : null;
        }

        private static LayerSpec? Gelu(DeclaredLayer layer, ValidationContext context)
        {
            var approximation = layer.Get("Approximation", 0);
            if (approximation.IntValue is 0 or 1)
            {
                return new LayerSpec(LayerKind.GELU) { Option = approximation.IntValue == 1 };
            }

            context.Report(DiagnosticDescriptors.InvalidLayerArgument, approximation.Location, layer.Name, ValidationContext.Format(layer.Number), "Approximation", ValidationContext.Format(approximation.IntValue), "GeluApproximation.None or GeluApproximation.Tanh");
            return null;
        }

        private static LayerSpec? Maxout(DeclaredLayer layer, ShapeState state, ValidationContext context)
        {
            var pieces = layer.Get("Pieces", 0);
            if (!context.RequireAtLeast(layer, pieces, 2))
            {
                return null;
            }

            if (state.Known && state.Channels % pieces.IntValue != 0)
            {
                context.Report(DiagnosticDescriptors.CountNotDivisible, pieces.Location, layer.Name, ValidationContext.Format(layer.Number), "Pieces", ValidationContext.Format(pieces.IntValue), ValidationContext.Format(state.Channels), ValidationContext.Divisors(state.Channels, 2));
                return null;
            }

            state.Channels /= pieces.IntValue;
            return new LayerSpec(LayerKind.Maxout) { Units = pieces.IntValue };
        }

        private static LayerSpec? BatchNorm(DeclaredLayer layer, ValidationContext context)
        {
            var epsilon = layer.Get("Epsilon", 1e-5);
            var momentum = layer.Get("Momentum", 0.1);
            bool valid = context.RequireReal(layer, epsilon, 0, null, "a finite number greater than 0")
                & context.RequireReal(layer, momentum, null, 1, "a number from 0 to 1");
            if (valid && momentum.DoubleValue < 0)
            {
                context.Report(DiagnosticDescriptors.InvalidLayerArgument, momentum.Location, layer.Name, ValidationContext.Format(layer.Number), "Momentum", ValidationContext.Format(momentum.DoubleValue), "a number from 0 to 1");
                valid = false;
            }

            return valid ? new LayerSpec(LayerKind.BatchNorm) { Value = epsilon.DoubleValue, Momentum = momentum.DoubleValue } : null;
        }

        private static LayerSpec? LayerNorm(DeclaredLayer layer, ShapeState state, ValidationContext context)
        {
            var spec = Real(layer, "Epsilon", 1e-5, 0, null, "a finite number greater than 0", context);
            if (spec is not null && state.Known && state.Size == 1)
            {
                context.Report(DiagnosticDescriptors.TooFewValuesToNormalize, layer.Location, layer.Name, ValidationContext.Format(layer.Number), "1 value", "example", "place it where each example has more than one value");
                return null;
            }

            return spec;
        }

        private static LayerSpec? InstanceNorm(DeclaredLayer layer, ShapeState state, ValidationContext context)
        {
            var epsilon = layer.Get("Epsilon", 1e-5);
            if (!context.RequireReal(layer, epsilon, 0, null, "a finite number greater than 0"))
            {
                return null;
            }

            var spec = new LayerSpec(LayerKind.InstanceNorm) { Value = epsilon.DoubleValue, Option = layer.Get("Affine", false).BoolValue };
            if (!context.RequireSpatial(layer, state))
            {
                return spec;
            }

            if ((long)state.Height * state.Width == 1)
            {
                context.Report(DiagnosticDescriptors.TooFewValuesToNormalize, layer.Location, layer.Name, ValidationContext.Format(layer.Number), "1x1 = 1 value", "channel of each example", "place it before the layer that reduces height and width to 1, or use BatchNorm");
                return null;
            }

            return spec;
        }

        private static LayerSpec? GroupNorm(DeclaredLayer layer, ShapeState state, ValidationContext context)
        {
            var groups = layer.Get("Groups", 0);
            var epsilon = layer.Get("Epsilon", 1e-5);
            bool valid = context.RequireAtLeast(layer, groups, 1) & context.RequireReal(layer, epsilon, 0, null, "a finite number greater than 0");
            if (!valid)
            {
                return null;
            }

            if (state.Known && state.Channels % groups.IntValue != 0)
            {
                context.Report(DiagnosticDescriptors.CountNotDivisible, groups.Location, layer.Name, ValidationContext.Format(layer.Number), "Groups", ValidationContext.Format(groups.IntValue), ValidationContext.Format(state.Channels), ValidationContext.Divisors(state.Channels, 1));
                return null;
            }

            if (state.Known && (long)state.Channels / groups.IntValue * state.Height * state.Width == 1)
            {
                context.Report(DiagnosticDescriptors.TooFewValuesToNormalize, groups.Location, layer.Name, ValidationContext.Format(layer.Number), "1 value", "group of each example", "use fewer groups");
                return null;
            }

            return new LayerSpec(LayerKind.GroupNorm) { Units = groups.IntValue, Value = epsilon.DoubleValue };
        }
    }
}

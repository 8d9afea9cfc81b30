using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using ModelCompiler.Generator.Diagnostics;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Parsing;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>The running tensor shape while layers are validated in order.</summary>
    internal sealed class ShapeState
    {
        public ShapeState(int channels, int height, int width, bool known)
        {
            Channels = channels;
            Height = height;
            Width = width;
            Known = known;
        }

        public int Channels { get; set; }

        public int Height { get; set; }

        public int Width { get; set; }

        /// <summary>False once an earlier error leaves the shape unknown; later layers then skip shape checks.</summary>
        public bool Known { get; set; }

        /// <summary>The dense layer that turned the tensor into a flat vector, if any.</summary>
        public DeclaredLayer? FlattenedBy { get; set; }

        public long Size => (long)Channels * Height * Width;
    }

    /// <summary>Collects diagnostics for one model and checks single argument values.</summary>
    internal sealed class ValidationContext
    {
        public ValidationContext(List<DiagnosticInfo> diagnostics) => Diagnostics = diagnostics;

        public List<DiagnosticInfo> Diagnostics { get; }

        public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            Diagnostics.Add(new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(arguments)));

        /// <summary>Reports with properties ("key=value") for code fixes.</summary>
        public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, string[] properties, params string[] arguments) =>
            Diagnostics.Add(new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(arguments)) { Properties = new EquatableArray<string>(properties) });

        /// <summary>Reports MC0004 unless the integer argument is at least <paramref name="minimum"/>.</summary>
        public bool RequireAtLeast(DeclaredLayer layer, DeclaredArgument argument, int minimum)
        {
            if (argument.IntValue >= minimum)
            {
                return true;
            }

            string value = argument.IsSet ? Format(argument.IntValue) : Format(argument.IntValue) + " (not set)";
            Report(DiagnosticDescriptors.InvalidLayerArgument, argument.Location, layer.Name, Format(layer.Number), argument.Name, value, "at least " + Format(minimum));
            return false;
        }

        /// <summary>Reports MC0004 unless the real argument is finite and within the given bounds.</summary>
        public bool RequireReal(DeclaredLayer layer, DeclaredArgument argument, double? exclusiveMinimum, double? inclusiveMaximum, string requirement)
        {
            double value = argument.DoubleValue;
            bool valid = !double.IsNaN(value) && !double.IsInfinity(value)
                && (exclusiveMinimum is null || value > exclusiveMinimum.Value)
                && (inclusiveMaximum is null || value <= inclusiveMaximum.Value);
            // The generated code computes in float, so the value must also survive the conversion to float.
            float single = (float)value;
            if (valid && (float.IsInfinity(single) || (exclusiveMinimum is not null && single <= exclusiveMinimum.Value)))
            {
                valid = false;
                requirement += " that a 32-bit float can represent";
            }

            if (!valid)
            {
                Report(DiagnosticDescriptors.InvalidLayerArgument, argument.Location, layer.Name, Format(layer.Number), argument.Name, Format(value), requirement);
            }

            return valid;
        }

        /// <summary>Reports MC0009 when the tensor is already flat; returns whether the layer can proceed with shape checks.</summary>
        public bool RequireSpatial(DeclaredLayer layer, ShapeState state)
        {
            if (state.FlattenedBy is null)
            {
                return state.Known;
            }

            if (state.Known)
            {
                Report(DiagnosticDescriptors.SpatialLayerAfterFlatten, layer.Location, layer.Name, Format(layer.Number), state.FlattenedBy.Name, Format(state.FlattenedBy.Number), Format(state.Channels));
            }

            state.Known = false;
            return false;
        }

        /// <summary>Lists the divisors of <paramref name="value"/> from <paramref name="minimum"/> up, for "valid values" messages.</summary>
        public static string Divisors(int value, int minimum)
        {
            // Pairs (d, value / d) up to the square root find every divisor in O(sqrt(value)) steps.
            var divisors = new SortedSet<long>();
            for (long candidate = 1; candidate * candidate <= value; candidate++)
            {
                if (value % candidate == 0)
                {
                    divisors.Add(candidate);
                    divisors.Add(value / candidate);
                }
            }

            divisors.RemoveWhere(d => d < minimum);
            const int MaxListed = 12;
            var listed = new List<string>();
            foreach (long divisor in divisors)
            {
                if (listed.Count == MaxListed)
                {
                    listed.Add("and " + Format(divisors.Count - MaxListed) + " more");
                    break;
                }

                listed.Add(Format(divisor));
            }

            return listed.Count == 0 ? "none" : string.Join(", ", listed);
        }
    }
}

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelCompiler.Generator.Diagnostics;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Parsing;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// Walks the declared layers with the running tensor shape, reports every invalid argument, geometry or
    /// ordering on the argument at fault, and returns the validated layers (null when shapes are unknown).
    /// </summary>
    internal static class ModelValidator
    {
        /// <summary>Largest tensor, in values per example, that a layer may output.</summary>
        public const long MaxValuesPerExample = 1L << 26;

        /// <summary>Largest number of trainable parameters in one model.</summary>
        public const long MaxParameters = 1L << 28;

        public static List<LayerSpec>? Validate(
            string className,
            LocationInfo? classLocation,
            IReadOnlyList<DeclaredArgument> input,
            IReadOnlyList<DeclaredLayer> layers,
            List<DiagnosticInfo> diagnostics)
        {
            int errorsBefore = diagnostics.Count;
            foreach (var dimension in input)
            {
                if (dimension.Value < 1)
                {
                    Report(diagnostics, DiagnosticDescriptors.InvalidInputDimension, dimension.Location, dimension.Name, Format(dimension.Value));
                }
            }

            var state = new ShapeState(input[0].Value, input[1].Value, input[2].Value, known: diagnostics.Count == errorsBefore);
            var specs = new List<LayerSpec>();
            long parameters = 0;
            DeclaredLayer? loss = null;
            foreach (var layer in layers)
            {
                if (loss is not null)
                {
                    Report(diagnostics, DiagnosticDescriptors.LossNotLast, loss.Location, loss.Name, Format(loss.Number), layer.Name, Format(layer.Number));
                    loss = null;
                }

                switch (layer.Kind)
                {
                    case LayerKind.Conv2D:
                        parameters += ValidateConvolution(layer, state, diagnostics, specs);
                        break;
                    case LayerKind.MaxPool2D:
                        ValidatePooling(layer, state, diagnostics, specs);
                        break;
                    case LayerKind.Dense:
                        parameters += ValidateDense(layer, state, diagnostics, specs);
                        break;
                    case LayerKind.ReLU:
                        specs.Add(new LayerSpec(LayerKind.ReLU, 0, 0, 0, 0));
                        break;
                    case LayerKind.SoftmaxCrossEntropy:
                        specs.Add(new LayerSpec(LayerKind.SoftmaxCrossEntropy, 0, 0, 0, 0));
                        loss = layer;
                        break;
                }

                if (parameters > MaxParameters)
                {
                    Report(diagnostics, DiagnosticDescriptors.ModelTooLarge, layer.Location, layer.Name, Format(layer.Number), Format(parameters), "parameters in the model up to it", Format(MaxParameters));
                    state.Known = false;
                    parameters = long.MinValue;
                }
            }

            if (!layers.Any(l => l.Kind == LayerKind.SoftmaxCrossEntropy))
            {
                Report(diagnostics, DiagnosticDescriptors.MissingLoss, classLocation, className);
            }

            return diagnostics.Count == errorsBefore && state.Known ? specs : null;
        }

        private static long ValidateConvolution(DeclaredLayer layer, ShapeState state, List<DiagnosticInfo> diagnostics, List<LayerSpec> specs)
        {
            bool valid = RequireAtLeast(layer, layer.Units!, 1, diagnostics)
                & RequireAtLeast(layer, layer.Size!, 1, diagnostics)
                & RequireAtLeast(layer, layer.Stride!, 1, diagnostics)
                & RequireAtLeast(layer, layer.Padding!, 0, diagnostics);
            int filters = layer.Units!.Value, size = layer.Size!.Value, stride = layer.Stride!.Value, padding = layer.Padding!.Value;
            specs.Add(new LayerSpec(LayerKind.Conv2D, filters, size, stride, padding));
            if (!valid || !RequireSpatial(layer, state, diagnostics))
            {
                state.Known = false;
                return 0;
            }

            long parameters = (long)size * size * state.Channels * filters + filters;
            if (!ApplyWindow(layer, state, filters, size, stride, padding, hasPadding: true, diagnostics))
            {
                return parameters;
            }

            CheckOutputSize(layer, state, diagnostics);
            return parameters;
        }

        private static void ValidatePooling(DeclaredLayer layer, ShapeState state, List<DiagnosticInfo> diagnostics, List<LayerSpec> specs)
        {
            bool valid = RequireAtLeast(layer, layer.Size!, 1, diagnostics);
            if (layer.Stride!.IsSet)
            {
                valid &= RequireAtLeast(layer, layer.Stride, 1, diagnostics);
            }

            int size = layer.Size!.Value;
            int stride = layer.Stride.IsSet ? layer.Stride.Value : size;
            specs.Add(new LayerSpec(LayerKind.MaxPool2D, 0, size, stride, 0));
            if (!valid || !RequireSpatial(layer, state, diagnostics))
            {
                state.Known = false;
                return;
            }

            if (ApplyWindow(layer, state, state.Channels, size, stride, 0, hasPadding: false, diagnostics))
            {
                CheckOutputSize(layer, state, diagnostics);
            }
        }

        private static long ValidateDense(DeclaredLayer layer, ShapeState state, List<DiagnosticInfo> diagnostics, List<LayerSpec> specs)
        {
            bool valid = RequireAtLeast(layer, layer.Units!, 1, diagnostics);
            int units = layer.Units!.Value;
            specs.Add(new LayerSpec(LayerKind.Dense, units, 0, 0, 0));
            if (!valid)
            {
                state.Known = false;
                return 0;
            }

            long inputs = (long)state.Channels * state.Height * state.Width;
            state.Channels = units;
            state.Height = 1;
            state.Width = 1;
            state.FlattenedBy = layer;
            CheckOutputSize(layer, state, diagnostics);
            return state.Known ? inputs * units + units : 0;
        }

        /// <summary>Applies the size rule to height and width; reports and returns false when it fails.</summary>
        private static bool ApplyWindow(DeclaredLayer layer, ShapeState state, int channels, int size, int stride, int padding, bool hasPadding, List<DiagnosticInfo> diagnostics)
        {
            if (!state.Known)
            {
                return false;
            }

            int smallest = System.Math.Min(state.Height, state.Width);
            if (size > smallest + 2L * padding)
            {
                string what = hasPadding ? "padded input " + (state.Height <= state.Width ? "height" : "width") : "input " + (state.Height <= state.Width ? "height" : "width");
                string value = hasPadding
                    ? string.Format(CultureInfo.InvariantCulture, "{0} + 2*{1} = {2}", smallest, padding, smallest + 2L * padding)
                    : Format(smallest);
                Report(diagnostics, DiagnosticDescriptors.KernelLargerThanInput, layer.Size!.Location, layer.Name, Format(layer.Number), Format(size), what, value, Format(smallest + 2L * padding));
                state.Known = false;
                return false;
            }

            int? height = Geometry.OutputSize(state.Height, size, stride, padding);
            int? width = Geometry.OutputSize(state.Width, size, stride, padding);
            if (height is null || width is null)
            {
                ReportNonIntegral(layer, state, size, stride, padding, hasPadding, height is null, width is null, diagnostics);
                state.Known = false;
                return false;
            }

            state.Channels = channels;
            state.Height = height.Value;
            state.Width = width.Value;
            return true;
        }

        private static void ReportNonIntegral(DeclaredLayer layer, ShapeState state, int size, int stride, int padding, bool hasPadding, bool heightFails, bool widthFails, List<DiagnosticInfo> diagnostics)
        {
            string dimension;
            int failing;
            if (heightFails && widthFails && state.Height == state.Width)
            {
                dimension = "height and width";
                failing = state.Height;
            }
            else if (heightFails)
            {
                dimension = "height";
                failing = state.Height;
            }
            else
            {
                dimension = "width";
                failing = state.Width;
            }

            var inputs = new[] { state.Height, state.Width };
            var options = new List<string>();
            if (hasPadding)
            {
                foreach (int candidate in Geometry.NearestPaddings(inputs, size, stride, padding))
                {
                    options.Add("Padding = " + Format(candidate) + " (output " + Describe(inputs, size, stride, candidate) + ")");
                }
            }
            else
            {
                foreach (int candidate in Geometry.NearestSizes(inputs, size, stride, padding))
                {
                    options.Add("Size = " + Format(candidate) + " (output " + Describe(inputs, candidate, stride, padding) + ")");
                }
            }

            foreach (int candidate in Geometry.NearestStrides(inputs, size, stride, padding))
            {
                options.Add("Stride = " + Format(candidate) + " (output " + Describe(inputs, size, candidate, padding) + ")");
            }

            string advice = options.Count == 0
                ? "no nearby stride or padding gives a whole number; change Size"
                : "nearest valid settings: " + string.Join(", ", options);

            // The stride is usually the setting at fault; fall back to the padding, then the size, when it was not written.
            var at = layer.Stride!.IsSet ? layer.Stride : hasPadding && layer.Padding!.IsSet ? layer.Padding : layer.Size!;
            Report(
                diagnostics,
                DiagnosticDescriptors.NonIntegralOutputSize,
                at.Location,
                layer.Name,
                Format(layer.Number),
                dimension,
                Geometry.Arithmetic(failing, size, stride, padding, hasPadding),
                Geometry.ExactValue(failing, size, stride, padding),
                advice);
        }

        private static string Describe(int[] inputs, int size, int stride, int padding)
        {
            int height = Geometry.OutputSize(inputs[0], size, stride, padding) ?? 0;
            int width = Geometry.OutputSize(inputs[1], size, stride, padding) ?? 0;
            return height == width ? Format(height) : Format(height) + "x" + Format(width);
        }

        private static bool RequireSpatial(DeclaredLayer layer, ShapeState state, List<DiagnosticInfo> diagnostics)
        {
            if (state.FlattenedBy is null)
            {
                return true;
            }

            if (state.Known)
            {
                Report(diagnostics, DiagnosticDescriptors.SpatialLayerAfterFlatten, layer.Location, layer.Name, Format(layer.Number), state.FlattenedBy.Name, Format(state.FlattenedBy.Number), Format(state.Channels));
            }

            return false;
        }

        private static bool RequireAtLeast(DeclaredLayer layer, DeclaredArgument argument, int minimum, List<DiagnosticInfo> diagnostics)
        {
            if (argument.Value >= minimum)
            {
                return true;
            }

            string value = argument.IsSet ? Format(argument.Value) : Format(argument.Value) + " (not set)";
            Report(diagnostics, DiagnosticDescriptors.InvalidLayerArgument, argument.Location, layer.Name, Format(layer.Number), argument.Name, value, "at least " + Format(minimum));
            return false;
        }

        private static void CheckOutputSize(DeclaredLayer layer, ShapeState state, List<DiagnosticInfo> diagnostics)
        {
            long values = (long)state.Channels * state.Height * state.Width;
            if (state.Known && values > MaxValuesPerExample)
            {
                Report(diagnostics, DiagnosticDescriptors.ModelTooLarge, layer.Location, layer.Name, Format(layer.Number), Format(values), "output values", Format(MaxValuesPerExample));
                state.Known = false;
            }
        }

        private static void Report(List<DiagnosticInfo> diagnostics, Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            diagnostics.Add(new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(arguments)));

        private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

        private sealed class ShapeState
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

            public bool Known { get; set; }

            /// <summary>The dense layer that turned the tensor into a flat vector, if any.</summary>
            public DeclaredLayer? FlattenedBy { get; set; }
        }
    }
}

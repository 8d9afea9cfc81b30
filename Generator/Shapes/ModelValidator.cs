using System.Collections.Generic;
using System.Linq;
using ModelCompiler.Generator.Diagnostics;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Parsing;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// Walks the declared layers with the running tensor shape, reports every invalid argument, geometry or
    /// ordering on the argument at fault, and returns the validated layers (null when there are errors).
    /// </summary>
    internal static class ModelValidator
    {
        /// <summary>Largest tensor, in values per example, that a layer may output.</summary>
        public const long MaxValuesPerExample = 1L << 26;

        /// <summary>Largest number of trainable parameters in one model.</summary>
        public const long MaxParameters = 1L << 28;

        /// <summary>
        /// Maximum kernel taps per convolution that im2col and col2im unroll. Each unrolled tap is a loop of a few
        /// instructions, so 64 keeps the methods far below the JIT's limits for optimizing a method.
        /// </summary>
        public const int MaxUnrolledTaps = 64;

        /// <summary>The runtime's Initializer.KaimingNormal, the default when the model sets none.</summary>
        private const int KaimingNormal = 1;

        /// <summary>The runtime's Initializer.Constant, the last value of that enum.</summary>
        private const int LastInitializer = 8;

        public static List<LayerSpec>? Validate(
            string className,
            LocationInfo? classLocation,
            DeclaredLayer model,
            IReadOnlyList<DeclaredLayer> layers,
            List<DiagnosticInfo> diagnostics)
        {
            var context = new ValidationContext(diagnostics);
            int errorsBefore = ErrorCount(diagnostics);
            foreach (string name in new[] { "Channels", "Height", "Width" })
            {
                var dimension = model.Get(name, 1);
                if (dimension.IntValue < 1)
                {
                    context.Report(DiagnosticDescriptors.InvalidInputDimension, dimension.Location, name, ValidationContext.Format(dimension.IntValue));
                }
            }

            long inputValues = (long)model.Get("Channels", 1).IntValue * model.Get("Height", 1).IntValue * model.Get("Width", 1).IntValue;
            if (ErrorCount(diagnostics) == errorsBefore && inputValues > MaxValuesPerExample)
            {
                context.Report(DiagnosticDescriptors.ModelTooLarge, model.Location, "The model input", ValidationContext.Format(inputValues), "values per example", ValidationContext.Format(MaxValuesPerExample));
            }

            var defaultInitializer = ReadInitializer(model, KaimingNormal, 0.01, "Model", 0, context);
            var state = new ShapeState(model.Get("Channels", 1).IntValue, model.Get("Height", 1).IntValue, model.Get("Width", 1).IntValue, known: ErrorCount(diagnostics) == errorsBefore);
            var specs = new List<LayerSpec>();
            long parameters = 0;
            DeclaredLayer? loss = null;
            foreach (var layer in layers)
            {
                if (loss is not null)
                {
                    context.Report(DiagnosticDescriptors.LossNotLast, loss.Location, loss.Name, ValidationContext.Format(loss.Number), layer.Name, ValidationContext.Format(layer.Number));
                    loss = null;
                }

                long inputSize = state.Size, inputChannels = state.Channels;
                var spec = LayerValidator.Validate(layer, state, context);
                if (spec is null)
                {
                    state.Known = false;
                    continue;
                }

                if (spec.Kind == LayerKind.Conv2D && state.Known && spec.KernelHeight > 0 && spec.KernelWidth > 0 && (long)spec.KernelHeight * spec.KernelWidth > MaxUnrolledTaps)
                {
                    context.Report(DiagnosticDescriptors.KernelNotUnrolled, layer.Location, layer.Name, ValidationContext.Format(layer.Number), ValidationContext.Format((long)spec.KernelHeight * spec.KernelWidth), ValidationContext.Format(MaxUnrolledTaps));
                }

                if (spec.Kind == LayerKind.Conv2D || spec.Kind == LayerKind.Dense)
                {
                    var initializer = ReadInitializer(layer, defaultInitializer.Kind, defaultInitializer.Scale, layer.Name, layer.Number, context);
                    spec = spec with { Initializer = initializer.Kind, InitializerScale = initializer.Scale };
                }

                if (spec.Kind == LayerKind.SoftmaxCrossEntropy || spec.Kind == LayerKind.MulticlassHinge)
                {
                    loss = layer;
                }

                specs.Add(spec);
                parameters += state.Known ? ParameterCount(spec, inputChannels, inputSize) : 0;
                CheckSize(layer, state, parameters, context);
            }

            if (!layers.Any(l => l.Kind == LayerKind.SoftmaxCrossEntropy || l.Kind == LayerKind.MulticlassHinge))
            {
                context.Report(DiagnosticDescriptors.MissingLoss, classLocation, className);
            }

            return ErrorCount(diagnostics) == errorsBefore && state.Known ? specs : null;
        }

        private static int ErrorCount(List<DiagnosticInfo> diagnostics) => diagnostics.Count(d => DiagnosticDescriptors.IsError(d.DescriptorId));

        /// <summary>Trainable values a layer adds, from the channel count and size of its input.</summary>
        private static long ParameterCount(LayerSpec spec, long inputChannels, long inputSize) => spec.Kind switch
        {
            LayerKind.Conv2D => (long)spec.KernelHeight * spec.KernelWidth * inputChannels * spec.Units + spec.Units,
            LayerKind.Dense => inputSize * spec.Units + spec.Units,
            LayerKind.PReLU => spec.Option ? 1 : inputChannels,
            LayerKind.BatchNorm or LayerKind.GroupNorm => 2 * inputChannels,
            LayerKind.InstanceNorm => spec.Option ? 2 * inputChannels : 0,
            LayerKind.LayerNorm => 2 * inputSize,
            _ => 0,
        };

        private static void CheckSize(DeclaredLayer layer, ShapeState state, long parameters, ValidationContext context)
        {
            if (state.Known && state.Size > MaxValuesPerExample)
            {
                context.Report(DiagnosticDescriptors.ModelTooLarge, layer.Location, layer.Name + " (layer " + ValidationContext.Format(layer.Number) + ")", ValidationContext.Format(state.Size), "output values per example", ValidationContext.Format(MaxValuesPerExample));
                state.Known = false;
            }
            else if (state.Known && parameters > MaxParameters)
            {
                context.Report(DiagnosticDescriptors.ModelTooLarge, layer.Location, layer.Name + " (layer " + ValidationContext.Format(layer.Number) + ")", ValidationContext.Format(parameters), "parameters in the model up to it", ValidationContext.Format(MaxParameters));
                state.Known = false;
            }
        }

        private static (int Kind, double Scale) ReadInitializer(DeclaredLayer layer, int fallbackKind, double fallbackScale, string name, int number, ValidationContext context)
        {
            var kind = layer.Get("Initializer", 0);
            var scale = layer.Get("InitializerScale", fallbackScale);
            int resolved = kind.IntValue == 0 ? fallbackKind : kind.IntValue;
            if (kind.IntValue < 0 || kind.IntValue > LastInitializer)
            {
                context.Report(DiagnosticDescriptors.InvalidLayerArgument, kind.Location, name, ValidationContext.Format(number), "Initializer", ValidationContext.Format(kind.IntValue), "a named Initializer value");
                resolved = fallbackKind;
            }

            double value = scale.IsSet ? scale.DoubleValue : fallbackScale;
            if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
            {
                context.Report(DiagnosticDescriptors.InvalidLayerArgument, scale.Location, name, ValidationContext.Format(number), "InitializerScale", ValidationContext.Format(value), "a finite number of at least 0");
            }

            return (resolved, value);
        }
    }
}

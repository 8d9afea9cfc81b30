using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ModelCompiler.Generator.Diagnostics
{
    /// <summary>
    /// Every diagnostic the generator reports. Ids are stable; AnalyzerReleases.Unshipped.md lists them.
    /// Layer numbers in messages count the layer attributes from 1, in source order.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "ModelCompiler";
        private const string HelpBase = "docs/diagnostics/";

        public static readonly DiagnosticDescriptor ModelClassNotPartial = Create(
            "MC0001",
            "Model class must be partial",
            "Model class '{0}' must be declared partial so that the generated code can be added to it",
            "The generator adds parameters, shapes, forward and backward code to the class as another partial declaration.");

        public static readonly DiagnosticDescriptor UnsupportedModelClass = Create(
            "MC0002",
            "Model class has an unsupported form",
            "Model class '{0}' cannot be generated: {1}",
            "A model must be a non-generic, non-static class, and every type that contains it must be partial.");

        public static readonly DiagnosticDescriptor InvalidInputDimension = Create(
            "MC0003",
            "Invalid model input dimension",
            "Model input {0} = {1} is invalid: it must be at least 1",
            "Channels, Height and Width on [Model] give the shape of one input example and must all be positive.");

        public static readonly DiagnosticDescriptor InvalidLayerArgument = Create(
            "MC0004",
            "Invalid layer argument",
            "{0} (layer {1}): {2} = {3} is invalid: it must be {4}",
            "Filter counts, unit counts, kernel sizes, strides and dilations must be at least 1, padding at least 0 (and at most half the window for pooling), and real-valued settings finite and in their documented range.");

        public static readonly DiagnosticDescriptor NonIntegralOutputSize = Create(
            "MC0005",
            "Output size is not a whole number",
            "{0} (layer {1}): output {2} = {3} = {4} is not a whole number; {5}",
            "A convolution's output width is (W - F + 2P)/S + 1 and a pooling layer's is (W - F)/S + 1; the kernel must fit the input a whole number of strides.");

        public static readonly DiagnosticDescriptor KernelLargerThanInput = Create(
            "MC0006",
            "Kernel is larger than its input",
            "{0} (layer {1}): {2} is larger than the {3} {4}; {5}",
            "A convolution kernel must fit inside the padded input, and a pooling window inside the input.");

        public static readonly DiagnosticDescriptor LossNotLast = Create(
            "MC0007",
            "Loss layer is not last",
            "{0} (layer {1}) is a loss and must be the last layer, but {2} (layer {3}) follows it",
            "The loss consumes the network's output, so no layer may come after it.");

        public static readonly DiagnosticDescriptor MissingLoss = Create(
            "MC0008",
            "Model has no loss layer",
            "Model '{0}' has no loss layer; add [SoftmaxCrossEntropy] as its last layer attribute",
            "Training needs a loss, declared as the last layer attribute.");

        public static readonly DiagnosticDescriptor SpatialLayerAfterFlatten = Create(
            "MC0009",
            "Spatial layer after a dense layer",
            "{0} (layer {1}) needs an input with height and width, but {2} (layer {3}) outputs a flat vector of {4} values; place spatial layers before the first Dense",
            "Dense layers flatten their input, so convolution and pooling layers must come before them.");

        public static readonly DiagnosticDescriptor LayerOnOtherDeclaration = Create(
            "MC0010",
            "Layer attribute on another partial declaration",
            "Layer attribute [{0}] is on a partial declaration of '{1}' that does not carry [Model]; move it to the declaration with [Model] so that the layer order is defined",
            "Layers are read in source order from the one declaration that carries [Model].");

        public static readonly DiagnosticDescriptor ModelTooLarge = Create(
            "MC0011",
            "Model is too large",
            "{0} needs {1} {2}, more than the limit of {3}",
            "Buffers are indexed with 32-bit integers, so each layer's output and the parameter count must stay below the stated limit.");

        public static readonly DiagnosticDescriptor ConflictingArguments = Create(
            "MC0012",
            "Conflicting layer arguments",
            "{0} (layer {1}): {2} and {3} both set the {4}; set either the square form or the per-dimension form",
            "A square setting such as Size or Stride sets height and width together, so it cannot be combined with KernelHeight, StrideWidth and the like.");

        public static readonly DiagnosticDescriptor CountNotDivisible = Create(
            "MC0013",
            "Count does not divide the channels",
            "{0} (layer {1}): {2} = {3} does not divide the {4} input channels; valid values: {5}",
            "Maxout pieces and GroupNorm groups split the channels into equal groups, so they must divide the channel count.");

        public static readonly DiagnosticDescriptor TooFewValuesToNormalize = Create(
            "MC0014",
            "Too few values to normalize",
            "{0} (layer {1}) normalizes over {2} per {3}, and a single value cannot be normalized; {4}",
            "Normalization subtracts the mean of its group, so a group of one value is always zero.");

        public static readonly DiagnosticDescriptor KernelNotUnrolled = Create(
            "MC0100",
            "Kernel taps not unrolled",
            "{0} (layer {1}) has {2} kernel taps, more than the {3} that the generator unrolls; its im2col and col2im run as loops instead",
            "The generated code unrolls the kernel taps of each convolution up to a limit, to keep methods small enough for the JIT to optimize; larger kernels use loops, which are correct but slower per tap.",
            DiagnosticSeverity.Info);

        public static readonly DiagnosticDescriptor InternalError = Create(
            "MC0099",
            "Generator failed",
            "The model generator failed on '{0}': {1}; please report this with the declaration",
            "An unexpected failure inside the generator; the model's code was not generated.");

        private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = new Dictionary<string, DiagnosticDescriptor>
        {
            [ModelClassNotPartial.Id] = ModelClassNotPartial,
            [UnsupportedModelClass.Id] = UnsupportedModelClass,
            [InvalidInputDimension.Id] = InvalidInputDimension,
            [InvalidLayerArgument.Id] = InvalidLayerArgument,
            [NonIntegralOutputSize.Id] = NonIntegralOutputSize,
            [KernelLargerThanInput.Id] = KernelLargerThanInput,
            [LossNotLast.Id] = LossNotLast,
            [MissingLoss.Id] = MissingLoss,
            [SpatialLayerAfterFlatten.Id] = SpatialLayerAfterFlatten,
            [LayerOnOtherDeclaration.Id] = LayerOnOtherDeclaration,
            [ModelTooLarge.Id] = ModelTooLarge,
            [ConflictingArguments.Id] = ConflictingArguments,
            [CountNotDivisible.Id] = CountNotDivisible,
            [TooFewValuesToNormalize.Id] = TooFewValuesToNormalize,
            [KernelNotUnrolled.Id] = KernelNotUnrolled,
            [InternalError.Id] = InternalError,
        };

        public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

        public static DiagnosticDescriptor ById(string id) => s_byId[id];

        /// <summary>True for the descriptors that make a declaration invalid; informational ones do not.</summary>
        public static bool IsError(string id) => ById(id).DefaultSeverity == DiagnosticSeverity.Error;

        private static DiagnosticDescriptor Create(string id, string title, string message, string description, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
            new DiagnosticDescriptor(
                id,
                title,
                message,
                Category,
                severity,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: HelpBase + id + ".md");
    }
}

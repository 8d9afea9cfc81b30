using System.Globalization;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Human-readable descriptions of layers for the emitted comments and documentation.</summary>
    internal static class LayerText
    {
        public static string Describe(LayerSpec spec) => spec.Kind switch
        {
            LayerKind.Conv2D => "Conv2D " + Text.Of(spec.Units) + " filters " + Window(spec) + Dilation(spec),
            LayerKind.MaxPool2D => "MaxPool2D " + Window(spec),
            LayerKind.AvgPool2D => "AvgPool2D " + Window(spec) + (spec.Option ? string.Empty : ", padding not counted"),
            LayerKind.Dense => "Dense " + Text.Of(spec.Units),
            LayerKind.LeakyReLU => "LeakyReLU slope " + Real(spec.Value),
            LayerKind.PReLU => spec.Option ? "PReLU, one shared slope" : "PReLU, a slope per channel",
            LayerKind.ELU => "ELU alpha " + Real(spec.Value),
            LayerKind.Swish => "Swish beta " + Real(spec.Value),
            LayerKind.GELU => spec.Option ? "GELU, tanh approximation" : "GELU, exact",
            LayerKind.Maxout => "Maxout " + Text.Of(spec.Units) + " pieces",
            LayerKind.BatchNorm => "BatchNorm epsilon " + Real(spec.Value) + ", momentum " + Real(spec.Momentum),
            LayerKind.LayerNorm => "LayerNorm epsilon " + Real(spec.Value),
            LayerKind.InstanceNorm => "InstanceNorm epsilon " + Real(spec.Value) + (spec.Option ? ", affine" : string.Empty),
            LayerKind.GroupNorm => "GroupNorm " + Text.Of(spec.Units) + " groups, epsilon " + Real(spec.Value),
            LayerKind.MulticlassHinge => "MulticlassHinge margin " + Real(spec.Value),
            _ => spec.Kind.ToString(),
        };

        public static string InputShape(LayerPlan layer) => Text.Shape(layer.InputChannels, layer.InputHeight, layer.InputWidth);

        public static string OutputShape(LayerPlan layer) => Text.Shape(layer.OutputChannels, layer.OutputHeight, layer.OutputWidth);

        /// <summary>A one-line heading for the code of a layer, such as "Conv1 (layer 1): Conv2D 8 filters 5x5, ..., 1x28x28 -> 8x28x28".</summary>
        public static string Heading(LayerPlan layer) =>
            layer.Name + " (layer " + Text.Of(layer.Index + 1) + "): " + Describe(layer.Spec) + ", " + InputShape(layer) + " -> " + OutputShape(layer)
            + (layer.InPlace ? ", in place" : string.Empty);

        /// <summary>A double as a C# float literal with round-trip precision, such as "0.01f".</summary>
        public static string Float(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";

        /// <summary>A double as a C# double literal with round-trip precision.</summary>
        public static string Double(double value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") ? text : text + ".0";
        }

        private static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static string Window(LayerSpec spec)
        {
            string text = Text.Of(spec.KernelHeight) + "x" + Text.Of(spec.KernelWidth) + ", stride " + Pair(spec.StrideHeight, spec.StrideWidth);
            return text + ", padding " + Pair(spec.PaddingHeight, spec.PaddingWidth);
        }

        private static string Dilation(LayerSpec spec) =>
            spec.DilationHeight == 1 && spec.DilationWidth == 1 ? string.Empty : ", dilation " + Pair(spec.DilationHeight, spec.DilationWidth);

        private static string Pair(int height, int width) => height == width ? Text.Of(height) : Text.Of(height) + "x" + Text.Of(width);
    }
}

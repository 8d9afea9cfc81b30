using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Human-readable descriptions of layers for the emitted comments and documentation.</summary>
    internal static class LayerText
    {
        public static string Describe(LayerSpec spec) => spec.Kind switch
        {
            LayerKind.Conv2D => "Conv2D " + Text.Of(spec.Units) + " filters " + Text.Of(spec.Size) + "x" + Text.Of(spec.Size)
                + ", stride " + Text.Of(spec.Stride) + ", padding " + Text.Of(spec.Padding),
            LayerKind.MaxPool2D => "MaxPool2D " + Text.Of(spec.Size) + "x" + Text.Of(spec.Size) + ", stride " + Text.Of(spec.Stride),
            LayerKind.Dense => "Dense " + Text.Of(spec.Units),
            LayerKind.ReLU => "ReLU",
            _ => "SoftmaxCrossEntropy",
        };

        public static string InputShape(LayerPlan layer) => Text.Shape(layer.InputChannels, layer.InputHeight, layer.InputWidth);

        public static string OutputShape(LayerPlan layer) => Text.Shape(layer.OutputChannels, layer.OutputHeight, layer.OutputWidth);

        /// <summary>A one-line heading for the code of a layer, such as "Conv1 (layer 1): Conv2D 8 filters 5x5, ..., 1x28x28 -> 8x28x28".</summary>
        public static string Heading(LayerPlan layer) =>
            layer.Name + " (layer " + Text.Of(layer.Index + 1) + "): " + Describe(layer.Spec) + ", " + InputShape(layer) + " -> " + OutputShape(layer);
    }
}

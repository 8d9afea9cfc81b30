using ModelCompiler.Generator.Model;

namespace ModelCompiler.Generator.Parsing
{
    /// <summary>Metadata names of the runtime's attributes and the layer kind each one declares.</summary>
    internal static class AttributeNames
    {
        public const string Model = "ModelCompiler.ModelAttribute";

        public static bool TryGetLayerKind(string? metadataName, out LayerKind kind)
        {
            switch (metadataName)
            {
                case "ModelCompiler.Conv2DAttribute":
                    kind = LayerKind.Conv2D;
                    return true;
                case "ModelCompiler.MaxPool2DAttribute":
                    kind = LayerKind.MaxPool2D;
                    return true;
                case "ModelCompiler.DenseAttribute":
                    kind = LayerKind.Dense;
                    return true;
                case "ModelCompiler.ReLUAttribute":
                    kind = LayerKind.ReLU;
                    return true;
                case "ModelCompiler.SoftmaxCrossEntropyAttribute":
                    kind = LayerKind.SoftmaxCrossEntropy;
                    return true;
                default:
                    kind = default;
                    return false;
            }
        }
    }
}

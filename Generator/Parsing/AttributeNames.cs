using System.Collections.Generic;
using ModelCompiler.Generator.Model;

namespace ModelCompiler.Generator.Parsing
{
    /// <summary>Metadata names of the runtime's attributes and the layer kind each one declares.</summary>
    internal static class AttributeNames
    {
        public const string Model = "ModelCompiler.ModelAttribute";

        private static readonly Dictionary<string, LayerKind> s_layers = Build();

        public static bool TryGetLayerKind(string? metadataName, out LayerKind kind)
        {
            kind = default;
            return metadataName is not null && s_layers.TryGetValue(metadataName, out kind);
        }

        private static Dictionary<string, LayerKind> Build()
        {
            var layers = new Dictionary<string, LayerKind>();
            foreach (LayerKind kind in System.Enum.GetValues(typeof(LayerKind)))
            {
                layers["ModelCompiler." + kind + "Attribute"] = kind;
            }

            return layers;
        }
    }
}

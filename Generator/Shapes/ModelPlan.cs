using System.Collections.Generic;
using System.Linq;
using ModelCompiler.Generator.Model;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// Shapes, parameter layout and buffer assignment of a validated model. Built in the emit step from a
    /// <see cref="ModelSpec"/>, which <see cref="ModelValidator"/> has already checked, so nothing here fails.
    /// </summary>
    internal sealed class ModelPlan
    {
        private ModelPlan(ModelSpec spec, List<LayerPlan> layers, int parameterCount)
        {
            Spec = spec;
            Layers = layers;
            ParameterCount = parameterCount;
        }

        public ModelSpec Spec { get; }

        /// <summary>Every layer except the loss.</summary>
        public IReadOnlyList<LayerPlan> Layers { get; }

        public int ParameterCount { get; }

        public int InputSize => Spec.Channels * Spec.Height * Spec.Width;

        public int OutputSize => Layers.Count == 0 ? InputSize : Layers[Layers.Count - 1].OutputSize;

        /// <summary>Field holding the logits after a forward pass, or null when the model input is the output.</summary>
        public string? OutputBuffer => Layers.Count == 0 ? null : Layers[Layers.Count - 1].OutputBuffer;

        /// <summary>Index of the first layer with parameters, or -1; no backward pass runs below it.</summary>
        public int FirstTrainableIndex => Layers.FirstOrDefault(l => l.HasParameters)?.Index ?? -1;

        public static ModelPlan Create(ModelSpec spec)
        {
            var layers = new List<LayerPlan>();
            var counts = new Dictionary<string, int>();
            int channels = spec.Channels, height = spec.Height, width = spec.Width, offset = 0;
            string? current = null;
            foreach (var layerSpec in spec.Layers)
            {
                if (layerSpec.Kind == LayerKind.SoftmaxCrossEntropy)
                {
                    continue;
                }

                string prefix = Prefix(layerSpec.Kind);
                counts.TryGetValue(prefix, out int count);
                counts[prefix] = ++count;
                var layer = new LayerPlan(layerSpec, layers.Count, prefix + count)
                {
                    InputChannels = channels,
                    InputHeight = height,
                    InputWidth = width,
                    InputBuffer = current,
                };
                Apply(layer, ref channels, ref height, ref width, ref offset);
                bool inPlace = layerSpec.Kind == LayerKind.ReLU && current is not null;
                layer.OutputBuffer = inPlace ? current : "_activations" + (layers.Count + 1);
                current = layer.OutputBuffer;
                layers.Add(layer);
            }

            return new ModelPlan(spec, layers, offset);
        }

        private static void Apply(LayerPlan layer, ref int channels, ref int height, ref int width, ref int offset)
        {
            var spec = layer.Spec;
            switch (spec.Kind)
            {
                case LayerKind.Conv2D:
                    layer.FanIn = channels * spec.Size * spec.Size;
                    layer.WeightCount = layer.FanIn * spec.Units;
                    layer.BiasCount = spec.Units;
                    channels = spec.Units;
                    height = (height - spec.Size + 2 * spec.Padding) / spec.Stride + 1;
                    width = (width - spec.Size + 2 * spec.Padding) / spec.Stride + 1;
                    break;
                case LayerKind.MaxPool2D:
                    height = (height - spec.Size) / spec.Stride + 1;
                    width = (width - spec.Size) / spec.Stride + 1;
                    break;
                case LayerKind.Dense:
                    layer.FanIn = channels * height * width;
                    layer.WeightCount = layer.FanIn * spec.Units;
                    layer.BiasCount = spec.Units;
                    channels = spec.Units;
                    height = 1;
                    width = 1;
                    break;
            }

            layer.WeightOffset = offset;
            layer.BiasOffset = offset + layer.WeightCount;
            offset += layer.WeightCount + layer.BiasCount;
            layer.OutputChannels = channels;
            layer.OutputHeight = height;
            layer.OutputWidth = width;
        }

        private static string Prefix(LayerKind kind) => kind switch
        {
            LayerKind.Conv2D => "Conv",
            LayerKind.MaxPool2D => "Pool",
            LayerKind.Dense => "Dense",
            LayerKind.ReLU => "Relu",
            _ => kind.ToString(),
        };
    }
}

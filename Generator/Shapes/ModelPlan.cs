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
        private ModelPlan(ModelSpec spec, List<LayerPlan> layers, LayerSpec loss, int parameterCount, int stateCount)
        {
            Spec = spec;
            Layers = layers;
            Loss = loss;
            ParameterCount = parameterCount;
            StateCount = stateCount;
        }

        public ModelSpec Spec { get; }

        /// <summary>Every layer except the loss.</summary>
        public IReadOnlyList<LayerPlan> Layers { get; }

        public LayerSpec Loss { get; }

        public int ParameterCount { get; }

        /// <summary>Running statistics of all BatchNorm layers.</summary>
        public int StateCount { get; }

        public int InputSize => Spec.Channels * Spec.Height * Spec.Width;

        public int OutputSize => Layers.Count == 0 ? InputSize : Layers[Layers.Count - 1].OutputSize;

        /// <summary>Field holding the logits after a forward pass, or null when the model input is the output.</summary>
        public string? OutputBuffer => Layers.Count == 0 ? null : Layers[Layers.Count - 1].OutputBuffer;

        /// <summary>Index of the first layer with parameters, or -1; no backward pass runs below it.</summary>
        public int FirstTrainableIndex => Layers.FirstOrDefault(l => l.HasParameters)?.Index ?? -1;

        public bool HasBatchNorm => Layers.Any(l => l.Kind == LayerKind.BatchNorm);

        public static ModelPlan Create(ModelSpec spec)
        {
            var layers = new List<LayerPlan>();
            var counts = new Dictionary<string, int>();
            int channels = spec.Channels, height = spec.Height, width = spec.Width, offset = 0, state = 0;
            LayerPlan? previous = null;
            LayerSpec loss = spec.Layers[spec.Layers.Count - 1];
            foreach (var layerSpec in spec.Layers)
            {
                if (layerSpec.Kind is LayerKind.SoftmaxCrossEntropy or LayerKind.MulticlassHinge)
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
                    InputBuffer = previous?.OutputBuffer,
                };
                LayerShapes.Apply(layer, ref channels, ref height, ref width);
                LayerShapes.AssignParameters(layer, ref offset, ref state);
                AssignBuffers(layer, previous, layers.Count + 1);
                if (layer.Kind == LayerKind.BatchNorm && previous is not null && previous.HasInitializedWeights)
                {
                    layer.FoldsInto = previous;
                    previous.FoldedBatchNorm = layer;
                }

                layers.Add(layer);
                previous = layer;
            }

            foreach (var layer in layers.Where(l => l.HasInitializedWeights))
            {
                var activation = layers.Skip(layer.Index + 1).FirstOrDefault(l => l.Kind is not (LayerKind.BatchNorm or LayerKind.LayerNorm or LayerKind.InstanceNorm or LayerKind.GroupNorm));
                layer.FollowingSlope = activation?.Kind switch
                {
                    LayerKind.LeakyReLU => activation.Spec.Value,
                    LayerKind.PReLU => 0.25,
                    _ => 0,
                };
            }

            return new ModelPlan(spec, layers, loss, offset, state);
        }

        private static void AssignBuffers(LayerPlan layer, LayerPlan? previous, int number)
        {
            var spec = layer.Spec;
            bool readsOutput = spec.Kind switch
            {
                LayerKind.ReLU or LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.SELU => true,
                LayerKind.LeakyReLU => spec.Value >= 0,
                LayerKind.ELU => spec.Value > 0,
                _ => false,
            };

            // An activation whose derivative follows from its output overwrites its input, unless that input is the
            // model's (read-only) or a value the previous layer's backward pass still needs.
            bool inPlace = readsOutput && previous is not null && !previous.BackwardReadsOutput;
            layer.BackwardReadsOutput = readsOutput;
            layer.InPlace = inPlace;
            layer.OutputBuffer = inPlace ? previous!.OutputBuffer : "_activations" + number;
            if (inPlace)
            {
                previous!.OverwrittenBy = layer.Index;
            }
        }

        private static string Prefix(LayerKind kind) => kind switch
        {
            LayerKind.Conv2D => "Conv",
            LayerKind.MaxPool2D => "MaxPool",
            LayerKind.AvgPool2D => "AvgPool",
            LayerKind.GlobalAvgPool2D => "GlobalAvgPool",
            LayerKind.ReLU => "Relu",
            LayerKind.LeakyReLU => "LeakyRelu",
            LayerKind.PReLU => "PRelu",
            LayerKind.ELU => "Elu",
            LayerKind.SELU => "Selu",
            LayerKind.GELU => "Gelu",
            _ => kind.ToString(),
        };
    }
}

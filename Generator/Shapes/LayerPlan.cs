using ModelCompiler.Generator.Model;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// One layer of a valid model with everything the emitter derives from it: shapes, parameter offsets,
    /// the generated name and the scratch buffers it reads and writes.
    /// </summary>
    internal sealed class LayerPlan
    {
        public LayerPlan(LayerSpec spec, int index, string name)
        {
            Spec = spec;
            Index = index;
            Name = name;
        }

        public LayerSpec Spec { get; }

        public LayerKind Kind => Spec.Kind;

        /// <summary>Position in the model, counting from 0.</summary>
        public int Index { get; }

        /// <summary>Generated name such as "Conv1" or "Dense2": the kind and its count among layers of that kind.</summary>
        public string Name { get; }

        public int InputChannels { get; set; }

        public int InputHeight { get; set; }

        public int InputWidth { get; set; }

        public int OutputChannels { get; set; }

        public int OutputHeight { get; set; }

        public int OutputWidth { get; set; }

        public int InputSize => InputChannels * InputHeight * InputWidth;

        public int OutputSize => OutputChannels * OutputHeight * OutputWidth;

        public int WeightOffset { get; set; }

        public int WeightCount { get; set; }

        public int BiasOffset { get; set; }

        public int BiasCount { get; set; }

        public int ParameterCount => WeightCount + BiasCount;

        /// <summary>Inputs that feed one output: F*F*C for a convolution, the flattened input size for a dense layer.</summary>
        public int FanIn { get; set; }

        /// <summary>Field that holds this layer's input for the whole batch, or null when it reads the model input.</summary>
        public string? InputBuffer { get; set; }

        /// <summary>Field that receives this layer's output; equal to <see cref="InputBuffer"/> for an in-place ReLU.</summary>
        public string? OutputBuffer { get; set; }

        /// <summary>Rows of the im2col matrix of a convolution: C*F*F.</summary>
        public int PatchSize => InputChannels * Spec.Size * Spec.Size;

        /// <summary>Output positions per channel of a convolution: output height times output width.</summary>
        public int Positions => OutputHeight * OutputWidth;

        /// <summary>True for a 1x1 convolution with stride 1 and no padding, whose im2col matrix is its input.</summary>
        public bool IsPointwise => Kind == LayerKind.Conv2D && Spec.Size == 1 && Spec.Stride == 1 && Spec.Padding == 0;

        public bool HasParameters => Kind == LayerKind.Conv2D || Kind == LayerKind.Dense;
    }
}

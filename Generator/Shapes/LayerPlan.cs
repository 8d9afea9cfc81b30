using ModelCompiler.Generator.Model;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// One layer of a valid model with everything the emitter derives from it: shapes, parameter and running
    /// statistics offsets, the generated name and the buffers it reads and writes.
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

        public int InputPlane => InputHeight * InputWidth;

        public int OutputPlane => OutputHeight * OutputWidth;

        /// <summary>
        /// Offset of the weights, or of what plays their part: PReLU slopes and the scale (gamma) of normalization layers.
        /// </summary>
        public int WeightOffset { get; set; }

        public int WeightCount { get; set; }

        /// <summary>Offset of the biases, or of the shift (beta) of normalization layers.</summary>
        public int BiasOffset { get; set; }

        public int BiasCount { get; set; }

        public int ParameterCount => WeightCount + BiasCount;

        /// <summary>Offset of a BatchNorm layer's running mean in the running statistics; its running variance follows.</summary>
        public int StateOffset { get; set; }

        public int StateCount { get; set; }

        /// <summary>Inputs that feed one output: F_h*F_w*C for a convolution, the flattened input size for a dense layer.</summary>
        public int FanIn { get; set; }

        /// <summary>Outputs one input feeds: F_h*F_w*K for a convolution, the unit count for a dense layer.</summary>
        public int FanOut { get; set; }

        /// <summary>Field that contains this layer's input for the whole batch, or null when it reads the model input.</summary>
        public string? InputBuffer { get; set; }

        /// <summary>Field that receives this layer's output; equal to <see cref="InputBuffer"/> when <see cref="InPlace"/>.</summary>
        public string? OutputBuffer { get; set; }

        /// <summary>True for an activation that overwrites its input with its output.</summary>
        public bool InPlace { get; set; }

        /// <summary>True when the backward pass reads this layer's output, so a later layer must not overwrite it.</summary>
        public bool BackwardReadsOutput { get; set; }

        /// <summary>The index of the later layer that overwrites this layer's output in place, or -1.</summary>
        public int OverwrittenBy { get; set; } = -1;

        /// <summary>BatchNorm only: the convolution or dense layer directly before it, whose weights inference folds it into.</summary>
        public LayerPlan? FoldsInto { get; set; }

        /// <summary>Convolution or dense only: the BatchNorm directly after it, folded into this layer at inference.</summary>
        public LayerPlan? FoldedBatchNorm { get; set; }

        /// <summary>Rows of the im2col matrix of a convolution: C*F_h*F_w.</summary>
        public int PatchSize => InputChannels * Spec.KernelHeight * Spec.KernelWidth;

        /// <summary>Output positions per channel of a convolution: output height times output width.</summary>
        public int Positions => OutputHeight * OutputWidth;

        /// <summary>True for a 1x1 convolution with stride 1 and no padding, whose im2col matrix is its input.</summary>
        public bool IsPointwise =>
            Kind == LayerKind.Conv2D && Spec.KernelHeight == 1 && Spec.KernelWidth == 1 && Spec.StrideHeight == 1 && Spec.StrideWidth == 1
            && Spec.PaddingHeight == 0 && Spec.PaddingWidth == 0;

        public bool HasParameters => ParameterCount > 0;

        /// <summary>True for a layer whose weights are drawn by an initializer: convolution and dense.</summary>
        public bool HasInitializedWeights => Kind == LayerKind.Conv2D || Kind == LayerKind.Dense;

        /// <summary>Negative slope for the Kaiming gain: of a LeakyReLU (or PReLU, 0.25) after this layer, otherwise 0.</summary>
        public double FollowingSlope { get; set; }
    }
}

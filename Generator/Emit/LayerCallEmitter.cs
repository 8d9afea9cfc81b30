using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>
    /// Writes the kernel call of one layer in the forward pass, and in the backward pass for every layer but
    /// convolution and dense, which have methods of their own.
    /// </summary>
    internal static class LayerCallEmitter
    {
        private const string Activations = Spans.Kernels + "Activations.";
        private const string Pooling = Spans.Kernels + "Pooling.";

        public static void WriteForward(SourceWriter writer, LayerPlan layer)
        {
            var spec = layer.Spec;
            string x = Spans.Input(layer), y = Spans.Output(layer);
            switch (layer.Kind)
            {
                case LayerKind.Conv2D:
                case LayerKind.Dense:
                    writer.Line(layer.Name + "Forward(" + x + ", " + y + ", " + Spans.Weights(layer) + ", " + Spans.Biases(layer) + ", batchSize);");
                    break;
                case LayerKind.ReLU:
                case LayerKind.Sigmoid:
                case LayerKind.Tanh:
                case LayerKind.SELU:
                    writer.Line(Activations + KernelName(layer.Kind) + "(" + x + ", " + y + ");");
                    break;
                case LayerKind.LeakyReLU:
                case LayerKind.ELU:
                case LayerKind.Swish:
                    writer.Line(Activations + KernelName(layer.Kind) + "(" + x + ", " + y + ", " + LayerText.Float(spec.Value) + ");");
                    break;
                case LayerKind.GELU:
                    writer.Line(Activations + "Gelu(" + x + ", " + y + ", tanhApproximation: " + (spec.Option ? "true" : "false") + ");");
                    break;
                case LayerKind.PReLU:
                    writer.Line(Activations + "PRelu(" + x + ", " + y + ", " + Spans.Weights(layer) + ", batchSize, " + PReluGeometry(layer) + ");");
                    break;
                case LayerKind.Maxout:
                    writer.Line(Activations + "Maxout(" + x + ", " + y + ", new global::System.Span<int>(" + StateEmitter.Argmax(layer) + ", 0, batchSize * "
                        + Text.Of(layer.OutputSize) + "), batchSize, " + Text.Of(layer.OutputChannels) + ", " + Text.Of(spec.Units) + ", " + Text.Of(layer.InputPlane) + ");");
                    break;
                case LayerKind.MaxPool2D:
                    WriteMaxPool(writer, layer, x, y);
                    break;
                case LayerKind.AvgPool2D:
                    writer.Line(Pooling + "AvgPool2D(" + x + ", " + y + ", " + Window(layer) + ", countIncludePadding: " + (spec.Option ? "true" : "false") + ");");
                    break;
                case LayerKind.GlobalAvgPool2D:
                    writer.Line(Pooling + "GlobalAvgPool(" + x + ", " + y + ", batchSize * " + Text.Of(layer.InputChannels) + ", " + Text.Of(layer.InputPlane) + ");");
                    break;
                case LayerKind.BatchNorm:
                    WriteBatchNorm(writer, layer, x, y);
                    break;
                case LayerKind.LayerNorm:
                    writer.Line(Spans.Kernels + "LayerNormalization.Forward(" + x + ", " + y + ", " + Spans.Weights(layer) + ", " + Spans.Biases(layer) + ", "
                        + Saved(layer) + ", batchSize, " + Text.Of(layer.InputSize) + ", " + LayerText.Float(spec.Value) + ");");
                    break;
                case LayerKind.InstanceNorm:
                case LayerKind.GroupNorm:
                    writer.Line(Spans.Kernels + "GroupNormalization.Forward(" + x + ", " + y + ", " + Spans.Weights(layer) + ", " + Spans.Biases(layer) + ", "
                        + Saved(layer) + ", batchSize, " + Text.Of(layer.InputChannels) + ", " + Text.Of(Groups(layer)) + ", " + Text.Of(layer.InputPlane) + ", "
                        + LayerText.Float(spec.Value) + ");");
                    break;
            }
        }

        /// <summary>
        /// Writes the backward call of a layer other than convolution and dense. Returns true when the input gradient
        /// went to <paramref name="other"/>; element-wise layers write it over <paramref name="current"/>.
        /// </summary>
        public static bool WriteBackward(SourceWriter writer, LayerPlan layer, string current, string other)
        {
            var spec = layer.Spec;
            string dy = Spans.ReadGradient(current, layer.OutputSize);
            string dyInPlace = Spans.Gradient(current, layer.OutputSize);
            string dx = Spans.Gradient(other, layer.InputSize);
            string x = Spans.Input(layer), y = Spans.ReadOutput(layer);
            switch (layer.Kind)
            {
                case LayerKind.ReLU:
                case LayerKind.Sigmoid:
                case LayerKind.Tanh:
                case LayerKind.SELU:
                    writer.Line(Activations + KernelName(layer.Kind) + "Backward(" + y + ", " + dy + ", " + dyInPlace + ");");
                    return false;
                case LayerKind.LeakyReLU:
                    // With a slope of at least 0 the output has the input's sign, so either one shows which side of 0 it was on.
                    writer.Line(Activations + "LeakyReluBackward(" + (layer.BackwardReadsOutput ? y : x) + ", " + dy + ", " + dyInPlace + ", " + LayerText.Float(spec.Value) + ");");
                    return false;
                case LayerKind.ELU:
                    writer.Line(Activations + (layer.BackwardReadsOutput ? "EluBackwardFromOutput(" + y : "EluBackwardFromInput(" + x) + ", " + dy + ", " + dyInPlace + ", "
                        + LayerText.Float(spec.Value) + ");");
                    return false;
                case LayerKind.Swish:
                    writer.Line(Activations + "SwishBackward(" + x + ", " + dy + ", " + dyInPlace + ", " + LayerText.Float(spec.Value) + ");");
                    return false;
                case LayerKind.GELU:
                    writer.Line(Activations + "GeluBackward(" + x + ", " + dy + ", " + dyInPlace + ", tanhApproximation: " + (spec.Option ? "true" : "false") + ");");
                    return false;
                case LayerKind.PReLU:
                    writer.Line(Activations + "PReluBackward(" + x + ", " + dy + ", " + dyInPlace + ", " + Spans.Weights(layer) + ", " + Spans.WeightGradients(layer)
                        + ", batchSize, " + PReluGeometry(layer) + ");");
                    return false;
                case LayerKind.Maxout:
                    writer.Line(Activations + "MaxoutBackward(" + dy + ", new global::System.ReadOnlySpan<int>(" + StateEmitter.Argmax(layer) + ", 0, batchSize * "
                        + Text.Of(layer.OutputSize) + "), " + dx + ");");
                    return true;
                case LayerKind.MaxPool2D:
                    writer.Line(Pooling + "MaxPool2DBackward(" + dy + ", new global::System.ReadOnlySpan<int>(" + StateEmitter.Argmax(layer) + ", 0, batchSize * "
                        + Text.Of(layer.OutputSize) + "), " + dx + ");");
                    return true;
                case LayerKind.AvgPool2D:
                    writer.Line(Pooling + "AvgPool2DBackward(" + dy + ", " + dx + ", " + Window(layer) + ", countIncludePadding: " + (spec.Option ? "true" : "false") + ");");
                    return true;
                case LayerKind.GlobalAvgPool2D:
                    writer.Line(Pooling + "GlobalAvgPoolBackward(" + dy + ", " + dx + ", batchSize * " + Text.Of(layer.InputChannels) + ", " + Text.Of(layer.InputPlane) + ");");
                    return true;
                case LayerKind.BatchNorm:
                    string geometry = "batchSize, " + Text.Of(layer.InputChannels) + ", " + Text.Of(layer.InputPlane);
                    using (writer.Block("if (training)"))
                    {
                        writer.Line(Spans.Kernels + "BatchNormalization.Backward(" + x + ", " + dy + ", " + dx + ", " + Spans.Weights(layer) + ", "
                            + StateEmitter.SavedMean(layer) + ", " + StateEmitter.SavedInverseStd(layer) + ", " + Spans.WeightGradients(layer) + ", "
                            + Spans.BiasGradients(layer) + ", " + geometry + ");");
                    }

                    using (writer.Block("else"))
                    {
                        writer.Line(Spans.Kernels + "BatchNormalization.BackwardInference(" + x + ", " + dy + ", " + dx + ", " + Spans.Weights(layer) + ", "
                            + Spans.RunningMean(layer) + ", " + Spans.RunningVariance(layer) + ", " + Spans.WeightGradients(layer) + ", "
                            + Spans.BiasGradients(layer) + ", " + geometry + ", " + LayerText.Float(spec.Value) + ");");
                    }

                    return true;
                case LayerKind.LayerNorm:
                    writer.Line(Spans.Kernels + "LayerNormalization.Backward(" + x + ", " + dy + ", " + dx + ", " + Spans.Weights(layer) + ", " + Saved(layer) + ", "
                        + Spans.WeightGradients(layer) + ", " + Spans.BiasGradients(layer) + ", batchSize, " + Text.Of(layer.InputSize) + ");");
                    return true;
                case LayerKind.InstanceNorm:
                case LayerKind.GroupNorm:
                    writer.Line(Spans.Kernels + "GroupNormalization.Backward(" + x + ", " + dy + ", " + dx + ", " + Spans.Weights(layer) + ", " + Saved(layer) + ", "
                        + Spans.WeightGradients(layer) + ", " + Spans.BiasGradients(layer) + ", batchSize, " + Text.Of(layer.InputChannels) + ", "
                        + Text.Of(Groups(layer)) + ", " + Text.Of(layer.InputPlane) + ");");
                    return true;
                default:
                    return false;
            }
        }

        private static void WriteMaxPool(SourceWriter writer, LayerPlan layer, string x, string y)
        {
            string argmax = "new global::System.Span<int>(" + StateEmitter.Argmax(layer) + ", 0, batchSize * " + Text.Of(layer.OutputSize) + ")";
            var spec = layer.Spec;
            bool simple = spec.KernelHeight == spec.KernelWidth && spec.StrideHeight == spec.StrideWidth && spec.PaddingHeight == 0 && spec.PaddingWidth == 0;
            string geometry = simple
                ? "batchSize * " + Text.Of(layer.InputChannels) + ", " + Text.Of(layer.InputHeight) + ", " + Text.Of(layer.InputWidth) + ", " + Text.Of(spec.KernelHeight) + ", " + Text.Of(spec.StrideHeight)
                : Window(layer);
            using (writer.Block("if (backward)"))
            {
                writer.Line(Pooling + "MaxPool2D(" + x + ", " + y + ", " + argmax + ", " + geometry + ");");
            }

            using (writer.Block("else"))
            {
                writer.Line(Pooling + "MaxPool2D(" + x + ", " + y + ", " + geometry + ");");
            }
        }

        private static void WriteBatchNorm(SourceWriter writer, LayerPlan layer, string x, string y)
        {
            string geometry = "batchSize, " + Text.Of(layer.InputChannels) + ", " + Text.Of(layer.InputPlane);
            string statistics = Spans.RunningMean(layer) + ", " + Spans.RunningVariance(layer);
            using (writer.Block("if (training)"))
            {
                writer.Line(Spans.Kernels + "BatchNormalization.ForwardTraining(" + x + ", " + y + ", " + Spans.Weights(layer) + ", " + Spans.Biases(layer) + ", "
                    + statistics + ", " + StateEmitter.SavedMean(layer) + ", " + StateEmitter.SavedInverseStd(layer) + ", " + geometry + ", "
                    + LayerText.Float(layer.Spec.Value) + ", " + LayerText.Float(layer.Spec.Momentum) + ");");
            }

            using (writer.Block("else"))
            {
                writer.Line(Spans.Kernels + "BatchNormalization.ForwardInference(" + x + ", " + y + ", " + Spans.Weights(layer) + ", " + Spans.Biases(layer) + ", "
                    + statistics + ", " + geometry + ", " + LayerText.Float(layer.Spec.Value) + ");");
            }
        }

        /// <summary>Planes, height, width, window, stride and padding arguments of the general pooling kernels.</summary>
        private static string Window(LayerPlan layer)
        {
            var spec = layer.Spec;
            return "batchSize * " + Text.Of(layer.InputChannels) + ", " + Text.Of(layer.InputHeight) + ", " + Text.Of(layer.InputWidth) + ", "
                + Text.Of(spec.KernelHeight) + ", " + Text.Of(spec.KernelWidth) + ", " + Text.Of(spec.StrideHeight) + ", " + Text.Of(spec.StrideWidth) + ", "
                + Text.Of(spec.PaddingHeight) + ", " + Text.Of(spec.PaddingWidth);
        }

        /// <summary>Channels and values per channel for PReLU: one shared slope covers a whole example.</summary>
        private static string PReluGeometry(LayerPlan layer) =>
            layer.Spec.Option ? "1, " + Text.Of(layer.InputSize) : Text.Of(layer.InputChannels) + ", " + Text.Of(layer.InputPlane);

        private static string Saved(LayerPlan layer) =>
            Spans.Saved(StateEmitter.SavedMean(layer), layer) + ", " + Spans.Saved(StateEmitter.SavedInverseStd(layer), layer);

        private static int Groups(LayerPlan layer) => layer.Kind == LayerKind.InstanceNorm ? layer.InputChannels : layer.Spec.Units;

        private static string KernelName(LayerKind kind) => kind switch
        {
            LayerKind.ReLU => "Relu",
            LayerKind.LeakyReLU => "LeakyRelu",
            LayerKind.ELU => "Elu",
            LayerKind.SELU => "Selu",
            _ => kind.ToString(),
        };
    }
}

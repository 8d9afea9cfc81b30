using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Writes RunForward, which chains the layers, and the forward methods of convolution and dense layers.</summary>
    internal static class ForwardEmitter
    {
        public static void Write(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>");
            writer.Line("/// Runs every layer on the batch. <paramref name=\"training\"/> selects BatchNorm's batch statistics; <paramref name=\"backward\"/>");
            writer.Line("/// makes pooling record each maximum for the backward pass; <paramref name=\"fold\"/>, in evaluation, folds BatchNorm into the layer before it.");
            writer.Line("/// </summary>");
            using (writer.Block("private void RunForward(" + Spans.ReadOnlySpan + " input, int batchSize, bool training, bool backward, bool fold)"))
            {
                writer.Line("_lastBatchSize = batchSize;");
                writer.Line("_lastForwardFolded = fold && !training;");
                foreach (var layer in plan.Layers)
                {
                    if (layer.FoldsInto is not null)
                    {
                        continue;
                    }

                    writer.Line();
                    writer.Line("// " + LayerText.Heading(layer));
                    if (layer.FoldedBatchNorm is not null)
                    {
                        WriteFoldable(writer, layer, layer.FoldedBatchNorm);
                    }
                    else
                    {
                        LayerCallEmitter.WriteForward(writer, layer);
                    }
                }
            }

            writer.Line();
            foreach (var layer in plan.Layers)
            {
                if (layer.Kind == LayerKind.Conv2D)
                {
                    WriteConvolution(writer, layer);
                }
                else if (layer.Kind == LayerKind.Dense)
                {
                    WriteDense(writer, layer);
                }
            }
        }

        /// <summary>A convolution or dense layer followed by BatchNorm: folded in evaluation when asked, else both layers.</summary>
        private static void WriteFoldable(SourceWriter writer, LayerPlan layer, LayerPlan batchNorm)
        {
            using (writer.Block("if (fold && !training)"))
            {
                writer.Line("// " + batchNorm.Name + " folded: weights scaled by gamma / sqrt(running variance + epsilon) per output, bias shifted to match.");
                writer.Line(Spans.Kernels + "BatchNormalization.Fold(" + Spans.Weights(layer) + ", " + Spans.Biases(layer) + ", " + Spans.Weights(batchNorm) + ", "
                    + Spans.Biases(batchNorm) + ", " + Spans.RunningMean(batchNorm) + ", " + Spans.RunningVariance(batchNorm) + ", "
                    + StateEmitter.FoldedWeights(layer) + ", " + StateEmitter.FoldedBias(layer) + ", " + Text.Of(layer.OutputChannels) + ", " + LayerText.Float(batchNorm.Spec.Value) + ");");
                writer.Line(layer.Name + "Forward(" + Spans.Input(layer) + ", " + Spans.Output(batchNorm) + ", " + StateEmitter.FoldedWeights(layer) + ", "
                    + StateEmitter.FoldedBias(layer) + ", batchSize);");
            }

            using (writer.Block("else"))
            {
                LayerCallEmitter.WriteForward(writer, layer);
                writer.Line();
                writer.Line("// " + LayerText.Heading(batchNorm));
                LayerCallEmitter.WriteForward(writer, batchNorm);
            }
        }

        private static void WriteConvolution(SourceWriter writer, LayerPlan layer)
        {
            string columns = layer.IsPointwise ? "image" : StateEmitter.Columns(layer);
            writer.Line("/// <summary>");
            writer.Line("/// " + LayerText.Heading(layer) + ".");
            writer.Line("/// Per image: im2col, then weights [" + Text.Of(layer.Spec.Units) + " x " + Text.Of(layer.PatchSize) + "] times columns ["
                + Text.Of(layer.PatchSize) + " x " + Text.Of(layer.Positions) + "], plus the bias of each filter.");
            writer.Line("/// </summary>");
            using (writer.Block("private void " + layer.Name + "Forward(" + Spans.ReadOnlySpan + " input, " + Spans.Span + " output, "
                + Spans.ReadOnlySpan + " weights, " + Spans.ReadOnlySpan + " bias, int batchSize)"))
            {
                using (writer.Block("for (int n = 0; n < batchSize; n++)"))
                {
                    writer.Line(Spans.ReadOnlySpan + " image = input.Slice(n * " + Text.Of(layer.InputSize) + ", " + Text.Of(layer.InputSize) + ");");
                    if (!layer.IsPointwise)
                    {
                        writer.Line(layer.Name + "Im2Col(image, " + columns + ");");
                    }

                    writer.Line(Spans.Span + " result = output.Slice(n * " + Text.Of(layer.OutputSize) + ", " + Text.Of(layer.OutputSize) + ");");
                    writer.Line(Spans.Kernels + "Gemm.Multiply(weights, " + columns + ", result, " + Text.Of(layer.Spec.Units) + ", "
                        + Text.Of(layer.PatchSize) + ", " + Text.Of(layer.Positions) + ", accumulate: false);");
                    writer.Line(Spans.Kernels + "VectorMath.AddToRows(result, bias, " + Text.Of(layer.Spec.Units) + ", " + Text.Of(layer.Positions) + ");");
                }
            }

            writer.Line();
        }

        private static void WriteDense(SourceWriter writer, LayerPlan layer)
        {
            writer.Line("/// <summary>");
            writer.Line("/// " + LayerText.Heading(layer) + ".");
            writer.Line("/// input [batch x " + Text.Of(layer.FanIn) + "] times transposed weights [" + Text.Of(layer.Spec.Units) + " x "
                + Text.Of(layer.FanIn) + "], plus the bias of each unit.");
            writer.Line("/// </summary>");
            using (writer.Block("private void " + layer.Name + "Forward(" + Spans.ReadOnlySpan + " input, " + Spans.Span + " output, "
                + Spans.ReadOnlySpan + " weights, " + Spans.ReadOnlySpan + " bias, int batchSize)"))
            {
                writer.Line(Spans.Kernels + "Gemm.MultiplyTransposedB(input, weights, output, batchSize, " + Text.Of(layer.FanIn) + ", "
                    + Text.Of(layer.Spec.Units) + ", accumulate: false);");
                writer.Line(Spans.Kernels + "VectorMath.AddToColumns(output, bias, batchSize, " + Text.Of(layer.Spec.Units) + ");");
            }

            writer.Line();
        }
    }
}

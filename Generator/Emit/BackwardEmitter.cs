using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>
    /// Writes RunBackward, which computes the loss and walks the layers in reverse, and the backward methods of
    /// convolution and dense layers. Layer gradients alternate between two buffers; ReLU works in place.
    /// Layers below the first trainable layer get no backward pass, and that layer computes no input gradient.
    /// </summary>
    internal static class BackwardEmitter
    {
        public static void Write(SourceWriter writer, ModelPlan plan)
        {
            int classes = plan.OutputSize;
            string logits = plan.OutputBuffer is null
                ? "input.Slice(0, batchSize * " + Text.Of(classes) + ")"
                : "new " + Spans.ReadOnlySpan + "(" + plan.OutputBuffer + ", 0, batchSize * " + Text.Of(classes) + ")";

            writer.Line("/// <summary>Computes the mean loss and its gradient, then backpropagates it into Gradients; returns the loss.</summary>");
            using (writer.Block("private float RunBackward(" + Spans.ReadOnlySpan + " input, global::System.ReadOnlySpan<int> labels, int batchSize, bool training)"))
            {
                string lossGradient = Spans.Gradient(StateEmitter.GradientsA, classes);
                if (plan.Loss.Kind == LayerKind.MulticlassHinge)
                {
                    writer.Line("// MulticlassHinge: mean multiclass hinge loss over the batch and its gradient with respect to the " + Text.Of(classes) + " scores.");
                    writer.Line("float loss = global::ModelCompiler.Training.Losses.MulticlassHinge(" + logits + ", labels.Slice(0, batchSize), "
                        + lossGradient + ", batchSize, " + Text.Of(classes) + ", " + LayerText.Float(plan.Loss.Value) + ");");
                }
                else
                {
                    writer.Line("// SoftmaxCrossEntropy: mean loss over the batch and its gradient with respect to the " + Text.Of(classes) + " logits.");
                    writer.Line("float loss = global::ModelCompiler.Training.Losses.SoftmaxCrossEntropy(" + logits + ", labels.Slice(0, batchSize), "
                        + lossGradient + ", batchSize, " + Text.Of(classes) + ");");
                }

                writer.Line("global::System.Array.Clear(_gradients);");
                if (!plan.HasBatchNorm)
                {
                    writer.Line("_ = training;");
                }

                string current = StateEmitter.GradientsA;
                for (int i = plan.Layers.Count - 1; i >= 0 && i >= plan.FirstTrainableIndex && plan.FirstTrainableIndex >= 0; i--)
                {
                    var layer = plan.Layers[i];
                    bool needsInputGradient = i > plan.FirstTrainableIndex;
                    string other = current == StateEmitter.GradientsA ? StateEmitter.GradientsB : StateEmitter.GradientsA;
                    writer.Line();
                    writer.Line("// " + LayerText.Heading(layer) + ", backward.");
                    bool swapped;
                    if (layer.Kind is LayerKind.Conv2D or LayerKind.Dense)
                    {
                        string outputGradient = Spans.ReadGradient(current, layer.OutputSize);
                        writer.Line(layer.Name + "Backward(" + Spans.Input(layer) + ", " + outputGradient
                            + (needsInputGradient ? ", " + Spans.Gradient(other, layer.InputSize) : string.Empty) + ", batchSize);");
                        swapped = true;
                    }
                    else
                    {
                        swapped = LayerCallEmitter.WriteBackward(writer, layer, current, other);
                    }

                    current = swapped ? other : current;
                }

                writer.Line();
                writer.Line("return loss;");
            }

            writer.Line();
            foreach (var layer in plan.Layers)
            {
                if (plan.FirstTrainableIndex < 0 || layer.Index < plan.FirstTrainableIndex)
                {
                    continue;
                }

                bool needsInputGradient = layer.Index > plan.FirstTrainableIndex;
                if (layer.Kind == LayerKind.Conv2D)
                {
                    WriteConvolution(writer, layer, needsInputGradient);
                }
                else if (layer.Kind == LayerKind.Dense)
                {
                    WriteDense(writer, layer, needsInputGradient);
                }
            }
        }

        private static string Signature(LayerPlan layer, bool needsInputGradient) =>
            "private void " + layer.Name + "Backward(" + Spans.ReadOnlySpan + " input, " + Spans.ReadOnlySpan + " outputGradient"
            + (needsInputGradient ? ", " + Spans.Span + " inputGradient" : string.Empty) + ", int batchSize)";

        private static void WriteConvolution(SourceWriter writer, LayerPlan layer, bool needsInputGradient)
        {
            int filters = layer.Spec.Units;
            string columns = layer.IsPointwise ? "image" : StateEmitter.Columns(layer);
            writer.Line("/// <summary>");
            writer.Line("/// " + LayerText.Heading(layer) + ", backward. Per image: weight gradient += output gradient times transposed columns,");
            writer.Line("/// bias gradient += row sums" + (needsInputGradient ? ", input gradient = col2im(transposed weights times output gradient)." : "; the input gradient is not needed."));
            writer.Line("/// </summary>");
            using (writer.Block(Signature(layer, needsInputGradient)))
            {
                writer.Line(Spans.Span + " weightGradients = " + Spans.ParameterGradients(layer.WeightOffset, layer.WeightCount) + ";");
                writer.Line(Spans.Span + " biasGradients = " + Spans.ParameterGradients(layer.BiasOffset, layer.BiasCount) + ";");
                if (needsInputGradient)
                {
                    writer.Line(Spans.ReadOnlySpan + " weights = " + Spans.Parameters(layer.WeightOffset, layer.WeightCount) + ";");
                }

                using (writer.Block("for (int n = 0; n < batchSize; n++)"))
                {
                    writer.Line(Spans.ReadOnlySpan + " image = input.Slice(n * " + Text.Of(layer.InputSize) + ", " + Text.Of(layer.InputSize) + ");");
                    if (!layer.IsPointwise)
                    {
                        writer.Line(layer.Name + "Im2Col(image, " + columns + ");");
                    }

                    writer.Line(Spans.ReadOnlySpan + " resultGradient = outputGradient.Slice(n * " + Text.Of(layer.OutputSize) + ", " + Text.Of(layer.OutputSize) + ");");
                    writer.Line(Spans.Kernels + "Gemm.MultiplyTransposedB(resultGradient, " + columns + ", weightGradients, " + Text.Of(filters) + ", "
                        + Text.Of(layer.Positions) + ", " + Text.Of(layer.PatchSize) + ", accumulate: true);");
                    writer.Line(Spans.Kernels + "VectorMath.SumRows(resultGradient, " + Text.Of(filters) + ", " + Text.Of(layer.Positions) + ", biasGradients, accumulate: true);");
                    if (needsInputGradient)
                    {
                        WriteInputGradient(writer, layer);
                    }
                }
            }

            writer.Line();
        }

        private static void WriteInputGradient(SourceWriter writer, LayerPlan layer)
        {
            string imageGradient = "inputGradient.Slice(n * " + Text.Of(layer.InputSize) + ", " + Text.Of(layer.InputSize) + ")";
            string sizes = Text.Of(layer.PatchSize) + ", " + Text.Of(layer.Spec.Units) + ", " + Text.Of(layer.Positions);
            if (layer.IsPointwise)
            {
                writer.Line(Spans.Kernels + "Gemm.MultiplyTransposedA(weights, resultGradient, " + imageGradient + ", " + sizes + ", accumulate: false);");
                return;
            }

            writer.Line(Spans.Span + " columnGradients = new " + Spans.Span + "(" + StateEmitter.ColumnGradients + ", 0, " + Text.Of(layer.PatchSize * layer.Positions) + ");");
            writer.Line(Spans.Kernels + "Gemm.MultiplyTransposedA(weights, resultGradient, columnGradients, " + sizes + ", accumulate: false);");
            writer.Line(layer.Name + "Col2Im(columnGradients, " + imageGradient + ");");
        }

        private static void WriteDense(SourceWriter writer, LayerPlan layer, bool needsInputGradient)
        {
            int units = layer.Spec.Units;
            writer.Line("/// <summary>");
            writer.Line("/// " + LayerText.Heading(layer) + ", backward: weight gradient += transposed output gradient times input,");
            writer.Line("/// bias gradient += column sums" + (needsInputGradient ? ", input gradient = output gradient times weights." : "; the input gradient is not needed."));
            writer.Line("/// </summary>");
            using (writer.Block(Signature(layer, needsInputGradient)))
            {
                writer.Line(Spans.Span + " weightGradients = " + Spans.ParameterGradients(layer.WeightOffset, layer.WeightCount) + ";");
                writer.Line(Spans.Span + " biasGradients = " + Spans.ParameterGradients(layer.BiasOffset, layer.BiasCount) + ";");
                writer.Line(Spans.Kernels + "Gemm.MultiplyTransposedA(outputGradient, input, weightGradients, " + Text.Of(units) + ", batchSize, "
                    + Text.Of(layer.FanIn) + ", accumulate: true);");
                writer.Line(Spans.Kernels + "VectorMath.SumColumns(outputGradient, batchSize, " + Text.Of(units) + ", biasGradients, accumulate: true);");
                if (needsInputGradient)
                {
                    writer.Line(Spans.ReadOnlySpan + " weights = " + Spans.Parameters(layer.WeightOffset, layer.WeightCount) + ";");
                    writer.Line(Spans.Kernels + "Gemm.Multiply(outputGradient, weights, inputGradient, batchSize, " + Text.Of(units) + ", "
                        + Text.Of(layer.FanIn) + ", accumulate: false);");
                }
            }

            writer.Line();
        }
    }
}

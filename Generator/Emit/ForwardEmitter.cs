using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Writes RunForward, which chains the layers, and the forward methods of convolution and dense layers.</summary>
    internal static class ForwardEmitter
    {
        public static void Write(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>Runs every layer on the batch; in training, pooling layers also record the position of each maximum.</summary>");
            using (writer.Block("private void RunForward(" + Spans.ReadOnlySpan + " input, int batchSize, bool training)"))
            {
                bool first = true;
                foreach (var layer in plan.Layers)
                {
                    if (!first)
                    {
                        writer.Line();
                    }

                    first = false;
                    writer.Line("// " + LayerText.Heading(layer));
                    WriteLayerCall(writer, layer);
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

        private static void WriteLayerCall(SourceWriter writer, LayerPlan layer)
        {
            switch (layer.Kind)
            {
                case LayerKind.Conv2D:
                case LayerKind.Dense:
                    writer.Line(layer.Name + "Forward(" + Spans.Input(layer) + ", " + Spans.Output(layer) + ", batchSize);");
                    break;
                case LayerKind.ReLU:
                    writer.Line(Spans.Kernels + "Activations.Relu(" + Spans.Input(layer) + ", " + Spans.Output(layer) + ");");
                    break;
                case LayerKind.MaxPool2D:
                    string geometry = "batchSize * " + Text.Of(layer.InputChannels) + ", " + Text.Of(layer.InputHeight) + ", " + Text.Of(layer.InputWidth)
                        + ", " + Text.Of(layer.Spec.Size) + ", " + Text.Of(layer.Spec.Stride);
                    using (writer.Block("if (training)"))
                    {
                        writer.Line(Spans.Kernels + "Pooling.MaxPool2D(" + Spans.Input(layer) + ", " + Spans.Output(layer)
                            + ", new global::System.Span<int>(" + StateEmitter.Argmax(layer) + ", 0, batchSize * " + Text.Of(layer.OutputSize) + "), " + geometry + ");");
                    }

                    using (writer.Block("else"))
                    {
                        writer.Line(Spans.Kernels + "Pooling.MaxPool2D(" + Spans.Input(layer) + ", " + Spans.Output(layer) + ", " + geometry + ");");
                    }

                    break;
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
            using (writer.Block("private void " + layer.Name + "Forward(" + Spans.ReadOnlySpan + " input, " + Spans.Span + " output, int batchSize)"))
            {
                writer.Line("var weights = " + Spans.Parameters(layer.WeightOffset, layer.WeightCount) + ";");
                writer.Line("var bias = " + Spans.Parameters(layer.BiasOffset, layer.BiasCount) + ";");
                using (writer.Block("for (int n = 0; n < batchSize; n++)"))
                {
                    writer.Line("var image = input.Slice(n * " + Text.Of(layer.InputSize) + ", " + Text.Of(layer.InputSize) + ");");
                    if (!layer.IsPointwise)
                    {
                        writer.Line(layer.Name + "Im2Col(image, " + columns + ");");
                    }

                    writer.Line("var result = output.Slice(n * " + Text.Of(layer.OutputSize) + ", " + Text.Of(layer.OutputSize) + ");");
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
            using (writer.Block("private void " + layer.Name + "Forward(" + Spans.ReadOnlySpan + " input, " + Spans.Span + " output, int batchSize)"))
            {
                writer.Line("var weights = " + Spans.Parameters(layer.WeightOffset, layer.WeightCount) + ";");
                writer.Line("var bias = " + Spans.Parameters(layer.BiasOffset, layer.BiasCount) + ";");
                writer.Line(Spans.Kernels + "Gemm.MultiplyTransposedB(input, weights, output, batchSize, " + Text.Of(layer.FanIn) + ", "
                    + Text.Of(layer.Spec.Units) + ", accumulate: false);");
                writer.Line(Spans.Kernels + "VectorMath.AddToColumns(output, bias, batchSize, " + Text.Of(layer.Spec.Units) + ");");
            }

            writer.Line();
        }
    }
}

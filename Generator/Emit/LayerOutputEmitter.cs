using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Writes LayerOutput, which exposes each layer's output of the last forward pass for inspection.</summary>
    internal static class LayerOutputEmitter
    {
        public static void Write(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>");
            writer.Line("/// Returns the output of layer number <paramref name=\"layer\"/> (counting from 1 as in the layer table, loss excluded) for the batch of the last");
            writer.Line("/// forward pass, for inspection such as activation statistics. A layer whose output a later activation overwrites in");
            writer.Line("/// place has no separate output: asking for it throws and names that activation.");
            writer.Line("/// </summary>");
            using (writer.Block("public global::System.ReadOnlySpan<float> LayerOutput(int layer)"))
            {
                using (writer.Block("if (_lastBatchSize == 0)"))
                {
                    writer.Line("throw new global::System.InvalidOperationException(\"No forward pass has run yet; call Forward or ComputeGradients first.\");");
                }

                writer.Line();
                using (writer.Block("switch (layer)"))
                {
                    foreach (var layer in plan.Layers)
                    {
                        writer.Line("case " + Text.Of(layer.Index + 1) + ":");
                        if (layer.OverwrittenBy >= 0)
                        {
                            var overwriter = plan.Layers[layer.OverwrittenBy];
                            writer.Line("    throw new global::System.InvalidOperationException(\"The output of layer " + Text.Of(layer.Index + 1) + " (" + layer.Name
                                + ") is overwritten in place by layer " + Text.Of(overwriter.Index + 1) + " (" + overwriter.Name + "); read layer " + Text.Of(overwriter.Index + 1) + " instead.\");");
                        }
                        else if (layer.FoldedBatchNorm is not null)
                        {
                            writer.Line("    return _lastForwardFolded");
                            writer.Line("        ? throw new global::System.InvalidOperationException(\"The last forward pass folded layer " + Text.Of(layer.FoldedBatchNorm.Index + 1) + " ("
                                + layer.FoldedBatchNorm.Name + ") into layer " + Text.Of(layer.Index + 1) + " (" + layer.Name + "), so it has no separate output; set FoldBatchNorm = false to inspect it.\")");
                            writer.Line("        : new global::System.ReadOnlySpan<float>(" + layer.OutputBuffer + ", 0, _lastBatchSize * " + Text.Of(layer.OutputSize) + ");");
                        }
                        else
                        {
                            writer.Line("    return new global::System.ReadOnlySpan<float>(" + layer.OutputBuffer + ", 0, _lastBatchSize * " + Text.Of(layer.OutputSize) + ");");
                        }
                    }

                    writer.Line("default:");
                    string range = plan.Layers.Count == 0 ? "The model has no layers besides the loss" : "The model has layers 1 to " + Text.Of(plan.Layers.Count);
                    writer.Line("    throw new global::System.ArgumentOutOfRangeException(nameof(layer), layer, \"" + range + "; the loss has no output of its own.\");");
                }
            }

            writer.Line();
        }
    }
}

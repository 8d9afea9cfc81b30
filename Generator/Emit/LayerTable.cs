using System.Collections.Generic;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>The table of layers, output shapes and parameter counts, as a file comment and as XML documentation.</summary>
    internal static class LayerTable
    {
        public static IEnumerable<string> CommentLines(ModelPlan plan)
        {
            var rows = new List<string[]> { new[] { "#", "Layer", "Output", "Parameters" } };
            rows.Add(new[] { "", "input", Text.Shape(plan.Spec.Channels, plan.Spec.Height, plan.Spec.Width), "" });
            foreach (var layer in plan.Layers)
            {
                rows.Add(new[] { Text.Of(layer.Index + 1), layer.Name + ": " + LayerText.Describe(layer.Spec), LayerText.OutputShape(layer), Text.Count(layer.ParameterCount) });
            }

            rows.Add(new[] { Text.Of(plan.Layers.Count + 1), LayerText.Describe(plan.Loss) + " (loss)", Text.Of(plan.OutputSize) + " classes", "" });
            rows.Add(new[] { "", "total", "", Text.Count(plan.ParameterCount) });

            var widths = new int[4];
            foreach (var row in rows)
            {
                for (int i = 0; i < 4; i++)
                {
                    widths[i] = System.Math.Max(widths[i], row[i].Length);
                }
            }

            foreach (var row in rows)
            {
                yield return row[0].PadLeft(widths[0]) + "  " + row[1].PadRight(widths[1]) + "  " + row[2].PadRight(widths[2]) + "  " + row[3].PadLeft(widths[3]);
            }
        }

        public static void WriteDocumentation(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>");
            writer.Line("/// Generated network: " + Text.Of(plan.Layers.Count) + " layers and a " + (plan.Loss.Kind == Model.LayerKind.MulticlassHinge ? "multiclass hinge" : "softmax cross-entropy") + " loss, "
                + Text.Count(plan.ParameterCount) + " parameters, input " + Text.Shape(plan.Spec.Channels, plan.Spec.Height, plan.Spec.Width) + ".");
            writer.Line("/// <list type=\"table\">");
            writer.Line("/// <listheader><term>Layer</term><description>Output shape (C x H x W) and parameters</description></listheader>");
            foreach (var layer in plan.Layers)
            {
                writer.Line("/// <item><term>" + Text.Of(layer.Index + 1) + ". " + layer.Name + ": " + LayerText.Describe(layer.Spec) + "</term><description>"
                    + LayerText.OutputShape(layer) + ", " + Text.Count(layer.ParameterCount) + " parameters</description></item>");
            }

            writer.Line("/// <item><term>total</term><description>" + Text.Count(plan.ParameterCount) + " parameters</description></item>");
            writer.Line("/// </list>");
            writer.Line("/// </summary>");
        }
    }
}

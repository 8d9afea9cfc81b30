using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Writes the public shape constants, per-layer constants and the model description.</summary>
    internal static class ShapeEmitter
    {
        public static void Write(SourceWriter writer, ModelPlan plan)
        {
            var spec = plan.Spec;
            Constant(writer, "InputChannels", spec.Channels, "Channels of one input example.");
            Constant(writer, "InputHeight", spec.Height, "Height of one input example.");
            Constant(writer, "InputWidth", spec.Width, "Width of one input example.");
            Constant(writer, "InputSize", plan.InputSize, "Values in one input example (channels x height x width).");
            Constant(writer, "OutputSize", plan.OutputSize, "Logits per example, one per class.");
            Constant(writer, "ParameterCount", plan.ParameterCount, "Trainable parameters, the length of Parameters and Gradients.");
            Constant(writer, "RunningStatisticsCount", plan.StateCount, "BatchNorm running means and variances, the length of RunningStatistics.");

            writer.Line("/// <summary>The declaration as plain data, for the reference interpreter and tools.</summary>");
            writer.Line("public static global::ModelCompiler.ModelDescription Description { get; } = new global::ModelCompiler.ModelDescription(");
            writer.Line("    " + Text.Of(spec.Channels) + ", " + Text.Of(spec.Height) + ", " + Text.Of(spec.Width) + ",");
            writer.Line("    new global::ModelCompiler.LayerDescription[]");
            writer.Line("    {");
            foreach (var layer in spec.Layers)
            {
                writer.Line("        " + DescriptionOf(layer) + ",");
            }

            writer.Line("    });");
            writer.Line();

            writer.Line("/// <summary>Shapes and parameter offsets of each layer, named by kind and position among layers of that kind.</summary>");
            using (writer.Block("public static class Layers"))
            {
                bool first = true;
                foreach (var layer in plan.Layers)
                {
                    if (!first)
                    {
                        writer.Line();
                    }

                    first = false;
                    writer.Line("/// <summary>Layer " + Text.Of(layer.Index + 1) + ": " + LayerText.Describe(layer.Spec) + ".</summary>");
                    using (writer.Block("public static class " + layer.Name))
                    {
                        Constant(writer, "InputChannels", layer.InputChannels, "Channels of one input example.");
                        Constant(writer, "InputHeight", layer.InputHeight, "Rows of one input example.");
                        Constant(writer, "InputWidth", layer.InputWidth, "Columns of one input example.");
                        Constant(writer, "InputSize", layer.InputSize, "Values of one input example.");
                        Constant(writer, "OutputChannels", layer.OutputChannels, "Channels of one output example.");
                        Constant(writer, "OutputHeight", layer.OutputHeight, "Rows of one output example.");
                        Constant(writer, "OutputWidth", layer.OutputWidth, "Columns of one output example.");
                        Constant(writer, "OutputSize", layer.OutputSize, "Values of one output example.");
                        if (layer.HasParameters)
                        {
                            string weights = WeightsMeaning(layer);
                            Constant(writer, "WeightOffset", layer.WeightOffset, "Offset in Parameters of the " + weights + ".");
                            Constant(writer, "WeightCount", layer.WeightCount, "Number of " + weights + ".");
                            if (layer.BiasCount > 0)
                            {
                                string biases = layer.HasInitializedWeights ? "biases" : "shifts (beta)";
                                Constant(writer, "BiasOffset", layer.BiasOffset, "Offset in Parameters of the " + biases + ", right after the " + weights + ".");
                                Constant(writer, "BiasCount", layer.BiasCount, "Number of " + biases + ".");
                            }

                            Constant(writer, "ParameterCount", layer.ParameterCount, "Trainable parameters of this layer.");
                        }

                        if (layer.StateCount > 0)
                        {
                            Constant(writer, "RunningMeanOffset", layer.StateOffset, "Offset of the running means in RunningStatistics; the running variances follow them.");
                            Constant(writer, "RunningStatisticsCount", layer.StateCount, "Running means and variances of this layer.");
                        }
                    }
                }
            }

            writer.Line();
        }

        private static string WeightsMeaning(LayerPlan layer) => layer.Kind switch
        {
            LayerKind.Conv2D => "weights, OIHW",
            LayerKind.Dense => "weights, [out, in]",
            LayerKind.PReLU => "slopes",
            _ => "scales (gamma)",
        };

        private static void Constant(SourceWriter writer, string name, int value, string? summary)
        {
            writer.Line("/// <summary>" + (summary ?? name + " of this layer.") + "</summary>");
            writer.Line("public const int " + name + " = " + Text.Of(value) + ";");
        }

        private static string DescriptionOf(LayerSpec layer)
        {
            const string Prefix = "new global::ModelCompiler.";
            string window = "KernelHeight = " + Text.Of(layer.KernelHeight) + ", KernelWidth = " + Text.Of(layer.KernelWidth)
                + ", StrideHeight = " + Text.Of(layer.StrideHeight) + ", StrideWidth = " + Text.Of(layer.StrideWidth)
                + ", PaddingHeight = " + Text.Of(layer.PaddingHeight) + ", PaddingWidth = " + Text.Of(layer.PaddingWidth);
            return layer.Kind switch
            {
                LayerKind.Conv2D => Prefix + "Conv2DLayer(" + Text.Of(layer.Units) + ", " + Text.Of(layer.KernelHeight) + ", " + Text.Of(layer.StrideHeight) + ", "
                    + Text.Of(layer.PaddingHeight) + ") { " + window + ", DilationHeight = " + Text.Of(layer.DilationHeight) + ", DilationWidth = " + Text.Of(layer.DilationWidth) + " }",
                LayerKind.MaxPool2D => Prefix + "MaxPool2DLayer(" + Text.Of(layer.KernelHeight) + ", " + Text.Of(layer.StrideHeight) + ") { " + window + " }",
                LayerKind.AvgPool2D => Prefix + "AvgPool2DLayer(" + Text.Of(layer.KernelHeight) + ", " + Text.Of(layer.StrideHeight) + ") { " + window
                    + ", CountIncludePadding = " + (layer.Option ? "true" : "false") + " }",
                LayerKind.Dense => Prefix + "DenseLayer(" + Text.Of(layer.Units) + ")",
                LayerKind.LeakyReLU => Prefix + "LeakyReLULayer(" + LayerText.Double(layer.Value) + ")",
                LayerKind.PReLU => Prefix + "PReLULayer(" + (layer.Option ? "true" : "false") + ")",
                LayerKind.ELU => Prefix + "ELULayer(" + LayerText.Double(layer.Value) + ")",
                LayerKind.Swish => Prefix + "SwishLayer(" + LayerText.Double(layer.Value) + ")",
                LayerKind.GELU => Prefix + "GELULayer(global::ModelCompiler.GeluApproximation." + (layer.Option ? "Tanh" : "None") + ")",
                LayerKind.Maxout => Prefix + "MaxoutLayer(" + Text.Of(layer.Units) + ")",
                LayerKind.MulticlassHinge => Prefix + "MulticlassHingeLayer(" + LayerText.Double(layer.Value) + ")",
                LayerKind.BatchNorm => Prefix + "BatchNormLayer(" + LayerText.Double(layer.Value) + ", " + LayerText.Double(layer.Momentum) + ")",
                LayerKind.LayerNorm => Prefix + "LayerNormLayer(" + LayerText.Double(layer.Value) + ")",
                LayerKind.InstanceNorm => Prefix + "InstanceNormLayer(" + LayerText.Double(layer.Value) + ", " + (layer.Option ? "true" : "false") + ")",
                LayerKind.GroupNorm => Prefix + "GroupNormLayer(" + Text.Of(layer.Units) + ", " + LayerText.Double(layer.Value) + ")",
                _ => Prefix + layer.Kind + "Layer()",
            };
        }
    }
}

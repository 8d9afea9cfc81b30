using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Writes the public members: parameter access, initialization, inference and the training step.</summary>
    internal static class ApiEmitter
    {
        private const string Span = "global::System.Span<float>";
        private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
        private const string Checks = "global::ModelCompiler.BatchChecks";

        public static void Write(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>Every trainable parameter, layer by layer; see the Layers constants for offsets.</summary>");
            writer.Line("public float[] Parameters => _parameters;");
            writer.Line();
            writer.Line("/// <summary>Gradient of the mean batch loss for each entry of Parameters, written by ComputeGradients.</summary>");
            writer.Line("public float[] Gradients => _gradients;");
            writer.Line();
            writer.Line("int global::ModelCompiler.ICompiledModel.InputSize => InputSize;");
            writer.Line();
            writer.Line("int global::ModelCompiler.ICompiledModel.OutputSize => OutputSize;");
            writer.Line();

            WriteInitialize(writer, plan);
            WriteForward(writer, plan);
            WriteComputeGradients(writer, plan);
            WriteTrainStep(writer);
        }

        private static void WriteInitialize(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>Fills every weight with seeded Kaiming-normal values, std sqrt(2 / fan-in), and every bias with zero.</summary>");
            using (writer.Block("public void InitializeParameters(int seed)"))
            {
                writer.Line("var random = new global::ModelCompiler.Training.DeterministicRandom(seed);");
                foreach (var layer in plan.Layers)
                {
                    if (!layer.HasParameters)
                    {
                        continue;
                    }

                    writer.Line("// " + layer.Name + ": fan-in " + Text.Of(layer.FanIn) + ".");
                    writer.Line("global::ModelCompiler.Training.Initializers.KaimingNormal(new " + Span + "(_parameters, "
                        + Text.Of(layer.WeightOffset) + ", " + Text.Of(layer.WeightCount) + "), " + Text.Of(layer.FanIn) + ", random);");
                    writer.Line("new " + Span + "(_parameters, " + Text.Of(layer.BiasOffset) + ", " + Text.Of(layer.BiasCount) + ").Clear();");
                }
            }

            writer.Line();
        }

        private static void WriteForward(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>");
            writer.Line("/// Runs inference on <paramref name=\"batchSize\"/> examples (NCHW, InputSize values each) and writes");
            writer.Line("/// OutputSize logits per example to <paramref name=\"output\"/>.");
            writer.Line("/// </summary>");
            using (writer.Block("public void Forward(" + ReadOnlySpan + " input, " + Span + " output, int batchSize)"))
            {
                writer.Line(Checks + ".Check(input.Length, InputSize, batchSize, " + Text.Of(StateEmitter.LargestTensor(plan)) + ", nameof(input));");
                writer.Line(Checks + ".CheckOutput(output.Length, OutputSize, batchSize, nameof(output));");
                writer.Line("EnsureCapacity(batchSize);");
                writer.Line("RunForward(input, batchSize, training: false);");
                string logits = plan.OutputBuffer is null
                    ? "input.Slice(0, batchSize * OutputSize)"
                    : "new " + ReadOnlySpan + "(" + plan.OutputBuffer + ", 0, batchSize * OutputSize)";
                writer.Line(logits + ".CopyTo(output);");
            }

            writer.Line();
        }

        private static void WriteComputeGradients(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>");
            writer.Line("/// Runs the forward pass, the softmax cross-entropy loss against <paramref name=\"labels\"/> and the backward pass");
            writer.Line("/// on a batch, overwrites Gradients with the gradient of the mean loss, and returns the mean loss.");
            writer.Line("/// </summary>");
            using (writer.Block("public float ComputeGradients(" + ReadOnlySpan + " input, global::System.ReadOnlySpan<int> labels, int batchSize)"))
            {
                writer.Line(Checks + ".Check(input.Length, InputSize, batchSize, " + Text.Of(StateEmitter.LargestTensor(plan)) + ", nameof(input));");
                writer.Line(Checks + ".CheckLabels(labels.Length, batchSize, nameof(labels));");
                writer.Line("EnsureCapacity(batchSize);");
                writer.Line("RunForward(input, batchSize, training: true);");
                writer.Line("return RunBackward(input, labels, batchSize);");
            }

            writer.Line();
        }

        private static void WriteTrainStep(SourceWriter writer)
        {
            writer.Line("/// <summary>Computes the gradients of a batch, lets <paramref name=\"optimizer\"/> update Parameters, and returns the mean loss.</summary>");
            using (writer.Block("public float TrainStep(" + ReadOnlySpan + " input, global::System.ReadOnlySpan<int> labels, int batchSize, global::ModelCompiler.Training.SgdMomentum optimizer)"))
            {
                using (writer.Block("if (optimizer is null)"))
                {
                    writer.Line("throw new global::System.ArgumentNullException(nameof(optimizer));");
                }

                writer.Line();
                writer.Line("float loss = ComputeGradients(input, labels, batchSize);");
                writer.Line("optimizer.Step(_parameters, _gradients);");
                writer.Line("return loss;");
            }

            writer.Line();
        }
    }
}

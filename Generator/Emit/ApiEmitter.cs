using System.Linq;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Writes the public members: parameter access, modes, initialization, inference and the training step.</summary>
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
            writer.Line("/// <summary>BatchNorm running means and variances (each layer's means, then its variances); not trained by gradients.</summary>");
            writer.Line("public float[] RunningStatistics => _runningStatistics;");
            writer.Line();
            writer.Line("/// <summary>");
            writer.Line("/// Training (the default) or evaluation. It changes BatchNorm layers only. In training every forward pass uses the");
            writer.Line("/// batch's statistics and updates the running averages. In evaluation the running averages are used and nothing changes.");
            writer.Line("/// Switch to evaluation before measuring accuracy or serving predictions.");
            writer.Line("/// </summary>");
            using (writer.Block("public global::ModelCompiler.ModelMode Mode"))
            {
                writer.Line("get => _mode;");
                writer.Line("set => _mode = value is global::ModelCompiler.ModelMode.Training or global::ModelCompiler.ModelMode.Evaluation");
                writer.Line("    ? value");
                writer.Line("    : throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"Mode must be ModelMode.Training or ModelMode.Evaluation.\");");
            }

            writer.Line();
            writer.Line("/// <summary>");
            writer.Line("/// In evaluation mode, whether Forward folds each BatchNorm that directly follows a convolution or dense layer into");
            writer.Line("/// that layer's weights and bias (true unless set). Folded and unfolded results agree up to float rounding.");
            writer.Line("/// </summary>");
            using (writer.Block("public bool FoldBatchNorm"))
            {
                writer.Line("get => _foldBatchNorm;");
                writer.Line("set => _foldBatchNorm = value;");
            }

            writer.Line();
            writer.Line("int global::ModelCompiler.ICompiledModel.InputSize => InputSize;");
            writer.Line();
            writer.Line("int global::ModelCompiler.ICompiledModel.OutputSize => OutputSize;");
            writer.Line();

            WriteInitialize(writer, plan);
            WriteForward(writer, plan);
            WriteComputeGradients(writer, plan);
            WriteTrainStep(writer);
            LayerOutputEmitter.Write(writer, plan);
        }

        private static void WriteInitialize(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>");
            writer.Line("/// Draws every convolution and dense weight with its layer's seeded initializer and sets their biases to 0; sets PReLU");
            writer.Line("/// slopes to 0.25, normalization scales to 1 and shifts to 0; resets running means to 0 and running variances to 1.");
            writer.Line("/// </summary>");
            using (writer.Block("public void InitializeParameters(int seed)"))
            {
                writer.Line("global::ModelCompiler.Training.DeterministicRandom random = new global::ModelCompiler.Training.DeterministicRandom(seed);");
                foreach (var layer in plan.Layers.Where(l => l.HasParameters || l.StateCount > 0))
                {
                    writer.Line("// " + layer.Name + ".");
                    string weights = "new " + Span + "(_parameters, " + Text.Of(layer.WeightOffset) + ", " + Text.Of(layer.WeightCount) + ")";
                    string biases = "new " + Span + "(_parameters, " + Text.Of(layer.BiasOffset) + ", " + Text.Of(layer.BiasCount) + ")";
                    if (layer.HasInitializedWeights)
                    {
                        writer.Line("global::ModelCompiler.Training.Initializers.Initialize(" + weights + ", global::ModelCompiler.Initializer." + InitializerName(layer.Spec.Initializer)
                            + ", fanIn: " + Text.Of(layer.FanIn) + ", fanOut: " + Text.Of(layer.FanOut) + ", negativeSlope: " + LayerText.Double(layer.FollowingSlope)
                            + ", scale: " + LayerText.Double(layer.Spec.InitializerScale) + ", random);");
                    }
                    else if (layer.WeightCount > 0)
                    {
                        writer.Line(weights + ".Fill(" + (layer.Kind == LayerKind.PReLU ? "0.25f" : "1f") + ");");
                    }

                    if (layer.BiasCount > 0)
                    {
                        writer.Line(biases + ".Clear();");
                    }

                    if (layer.StateCount > 0)
                    {
                        writer.Line("new " + Span + "(_runningStatistics, " + Text.Of(layer.StateOffset) + ", " + Text.Of(layer.InputChannels) + ").Clear();");
                        writer.Line("new " + Span + "(_runningStatistics, " + Text.Of(layer.StateOffset + layer.InputChannels) + ", " + Text.Of(layer.InputChannels) + ").Fill(1f);");
                    }
                }
            }

            writer.Line();
        }

        /// <summary>The name of a runtime Initializer value; the order matches that enum.</summary>
        private static string InitializerName(int value) => value switch
        {
            1 => "KaimingNormal",
            2 => "KaimingUniform",
            3 => "XavierNormal",
            4 => "XavierUniform",
            5 => "GlorotNormal",
            6 => "GlorotUniform",
            7 => "Gaussian",
            8 => "Constant",
            _ => "KaimingNormal",
        };

        private static void WriteForward(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("/// <summary>");
            writer.Line("/// Runs the model on <paramref name=\"batchSize\"/> examples (NCHW, InputSize values each) in the current Mode and");
            writer.Line("/// writes OutputSize logits per example to <paramref name=\"output\"/>.");
            writer.Line("/// </summary>");
            using (writer.Block("public void Forward(" + ReadOnlySpan + " input, " + Span + " output, int batchSize)"))
            {
                writer.Line(Checks + ".Check(input.Length, InputSize, batchSize, " + Text.Of(StateEmitter.LargestTensor(plan)) + ", nameof(input));");
                writer.Line(Checks + ".CheckOutput(output.Length, OutputSize, batchSize, nameof(output));");
                WriteTrainingBatchCheck(writer, plan);
                writer.Line("EnsureCapacity(batchSize);");
                writer.Line("RunForward(input, batchSize, training: _mode == global::ModelCompiler.ModelMode.Training, backward: false, fold: _foldBatchNorm);");
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
            writer.Line("/// Runs the forward pass in the current Mode, the loss against <paramref name=\"labels\"/> and the backward pass on a batch,");
            writer.Line("/// overwrites Gradients with the gradient of the mean loss, and returns the mean loss.");
            writer.Line("/// </summary>");
            using (writer.Block("public float ComputeGradients(" + ReadOnlySpan + " input, global::System.ReadOnlySpan<int> labels, int batchSize)"))
            {
                writer.Line(Checks + ".Check(input.Length, InputSize, batchSize, " + Text.Of(StateEmitter.LargestTensor(plan)) + ", nameof(input));");
                writer.Line(Checks + ".CheckLabels(labels.Length, batchSize, nameof(labels));");
                writer.Line(Checks + ".CheckLabelValues(labels, batchSize, OutputSize, nameof(labels));");
                WriteTrainingBatchCheck(writer, plan);
                writer.Line("EnsureCapacity(batchSize);");
                writer.Line("bool training = _mode == global::ModelCompiler.ModelMode.Training;");
                writer.Line("RunForward(input, batchSize, training, backward: true, fold: false);");
                writer.Line("return RunBackward(input, labels, batchSize, training);");
            }

            writer.Line();
        }

        private static void WriteTrainingBatchCheck(SourceWriter writer, ModelPlan plan)
        {
            var single = plan.Layers.FirstOrDefault(l => l.Kind == LayerKind.BatchNorm && l.InputPlane == 1);
            if (single is null)
            {
                return;
            }

            writer.Line("// " + single.Name + " normalizes each feature over the batch alone, which needs at least two examples in training.");
            writer.Line(Checks + ".CheckBatchNormBatch(batchSize, _mode, \"" + single.Name + "\");");
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

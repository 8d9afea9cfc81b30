using System.Collections.Generic;
using System.Linq;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>
    /// Writes the parameter, gradient, running-statistics and scratch fields, and the method that sizes the scratch for a batch.
    /// </summary>
    internal static class StateEmitter
    {
        public const string GradientsA = "_layerGradientsA";
        public const string GradientsB = "_layerGradientsB";
        public const string ColumnGradients = "_columnGradients";

        public static string Columns(LayerPlan layer) => "_columns" + layer.Name;

        public static string Argmax(LayerPlan layer) => "_argmax" + layer.Name;

        public static string SavedMean(LayerPlan layer) => "_savedMean" + layer.Name;

        public static string SavedInverseStd(LayerPlan layer) => "_savedInverseStd" + layer.Name;

        public static string FoldedWeights(LayerPlan layer) => "_foldedWeights" + layer.Name;

        public static string FoldedBias(LayerPlan layer) => "_foldedBias" + layer.Name;

        /// <summary>Values per example of the largest tensor whose gradient the backward pass stores.</summary>
        public static int LargestGradient(ModelPlan plan) =>
            plan.Layers.Count == 0 ? plan.OutputSize : plan.Layers.Max(l => System.Math.Max(l.InputSize, l.OutputSize));

        /// <summary>Values per example of the largest tensor of the model, for the batch-size overflow check.</summary>
        public static int LargestTensor(ModelPlan plan) => System.Math.Max(plan.InputSize, LargestGradient(plan));

        public static int LargestColumnMatrix(ModelPlan plan) =>
            plan.Layers.Where(l => l.Kind == LayerKind.Conv2D && !l.IsPointwise).Select(l => l.PatchSize * l.Positions).DefaultIfEmpty(0).Max();

        /// <summary>Per-example statistics a normalization layer saves for its backward pass: groups per example.</summary>
        public static int StatisticsPerExample(LayerPlan layer) => layer.Kind switch
        {
            LayerKind.LayerNorm => 1,
            LayerKind.InstanceNorm => layer.InputChannels,
            LayerKind.GroupNorm => layer.Spec.Units,
            _ => 0,
        };

        public static void Write(SourceWriter writer, ModelPlan plan)
        {
            writer.Line("// Parameters and their gradients, one contiguous buffer each, layer by layer: weights (OIHW or [out, in]) then biases.");
            writer.Line("private readonly float[] _parameters = new float[ParameterCount];");
            writer.Line("private readonly float[] _gradients = new float[ParameterCount];");
            writer.Line("private readonly float[] _runningStatistics = new float[RunningStatisticsCount];");
            writer.Line("private global::ModelCompiler.ModelMode _mode = global::ModelCompiler.ModelMode.Training;");
            writer.Line("private bool _foldBatchNorm = true;");
            writer.Line("private int _lastBatchSize;");
            writer.Line("private bool _lastForwardFolded;");
            writer.Line();
            writer.Line("// Scratch for batches of up to _capacity examples, grown by EnsureCapacity and then reused without allocating.");
            writer.Line("private int _capacity;");
            foreach (var buffer in ActivationBuffers(plan))
            {
                writer.Line("private float[] " + buffer.Key + " = global::System.Array.Empty<float>();");
            }

            foreach (var layer in plan.Layers.Where(l => l.Kind is LayerKind.MaxPool2D or LayerKind.Maxout))
            {
                writer.Line("private int[] " + Argmax(layer) + " = global::System.Array.Empty<int>();");
            }

            foreach (var layer in plan.Layers.Where(l => StatisticsPerExample(l) > 0))
            {
                writer.Line("private float[] " + SavedMean(layer) + " = global::System.Array.Empty<float>();");
                writer.Line("private float[] " + SavedInverseStd(layer) + " = global::System.Array.Empty<float>();");
            }

            writer.Line("private float[] " + GradientsA + " = global::System.Array.Empty<float>();");
            writer.Line("private float[] " + GradientsB + " = global::System.Array.Empty<float>();");

            WriteFixedScratch(writer, plan);
            WriteEnsureCapacity(writer, plan);
        }

        private static void WriteFixedScratch(SourceWriter writer, ModelPlan plan)
        {
            var convolutions = plan.Layers.Where(l => l.Kind == LayerKind.Conv2D && !l.IsPointwise).ToList();
            if (convolutions.Count > 0)
            {
                writer.Line();
                writer.Line("// im2col matrices, one image at a time. Cells that fall on padding are never written and stay zero.");
                foreach (var convolution in convolutions)
                {
                    writer.Line("private readonly float[] " + Columns(convolution) + " = new float[" + Text.Of(convolution.PatchSize) + " * " + Text.Of(convolution.Positions) + "];");
                }

                writer.Line("private readonly float[] " + ColumnGradients + " = new float[" + Text.Of(LargestColumnMatrix(plan)) + "];");
            }

            var batchNorms = plan.Layers.Where(l => l.Kind == LayerKind.BatchNorm).ToList();
            if (batchNorms.Count > 0)
            {
                writer.Line();
                writer.Line("// Batch mean and inverse standard deviation of each BatchNorm channel, saved by training forward for backward.");
                foreach (var layer in batchNorms)
                {
                    writer.Line("private readonly float[] " + SavedMean(layer) + " = new float[" + Text.Of(layer.InputChannels) + "];");
                    writer.Line("private readonly float[] " + SavedInverseStd(layer) + " = new float[" + Text.Of(layer.InputChannels) + "];");
                }

                foreach (var layer in plan.Layers.Where(l => l.FoldedBatchNorm is not null))
                {
                    writer.Line("private readonly float[] " + FoldedWeights(layer) + " = new float[" + Text.Of(layer.WeightCount) + "];");
                    writer.Line("private readonly float[] " + FoldedBias(layer) + " = new float[" + Text.Of(layer.BiasCount) + "];");
                }
            }

            writer.Line();
        }

        private static void WriteEnsureCapacity(SourceWriter writer, ModelPlan plan)
        {
            using (writer.Block("private void EnsureCapacity(int batchSize)"))
            {
                using (writer.Block("if (batchSize <= _capacity)"))
                {
                    writer.Line("return;");
                }

                writer.Line();
                foreach (var buffer in ActivationBuffers(plan))
                {
                    writer.Line(buffer.Key + " = new float[batchSize * " + Text.Of(buffer.Value) + "];");
                }

                foreach (var layer in plan.Layers.Where(l => l.Kind is LayerKind.MaxPool2D or LayerKind.Maxout))
                {
                    writer.Line(Argmax(layer) + " = new int[batchSize * " + Text.Of(layer.OutputSize) + "];");
                }

                foreach (var layer in plan.Layers.Where(l => StatisticsPerExample(l) > 0))
                {
                    writer.Line(SavedMean(layer) + " = new float[batchSize * " + Text.Of(StatisticsPerExample(layer)) + "];");
                    writer.Line(SavedInverseStd(layer) + " = new float[batchSize * " + Text.Of(StatisticsPerExample(layer)) + "];");
                }

                writer.Line(GradientsA + " = new float[batchSize * " + Text.Of(LargestGradient(plan)) + "];");
                writer.Line(GradientsB + " = new float[batchSize * " + Text.Of(LargestGradient(plan)) + "];");
                writer.Line("_capacity = batchSize;");
            }

            writer.Line();
        }

        /// <summary>Each distinct activation field with its values per example, in layer order.</summary>
        public static IEnumerable<KeyValuePair<string, int>> ActivationBuffers(ModelPlan plan)
        {
            var seen = new HashSet<string>();
            foreach (var layer in plan.Layers)
            {
                if (layer.OutputBuffer is not null && seen.Add(layer.OutputBuffer))
                {
                    yield return new KeyValuePair<string, int>(layer.OutputBuffer, layer.OutputSize);
                }
            }
        }
    }
}

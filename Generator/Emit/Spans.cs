using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Expressions for the batch-sized spans over a layer's input, output, parameters and gradient buffers.</summary>
    internal static class Spans
    {
        public const string Span = "global::System.Span<float>";
        public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
        public const string Kernels = "global::ModelCompiler.Kernels.";

        public static string Input(LayerPlan layer) =>
            layer.InputBuffer is null
                ? "input.Slice(0, batchSize * " + Text.Of(layer.InputSize) + ")"
                : "new " + ReadOnlySpan + "(" + layer.InputBuffer + ", 0, batchSize * " + Text.Of(layer.InputSize) + ")";

        public static string Output(LayerPlan layer) =>
            "new " + Span + "(" + layer.OutputBuffer + ", 0, batchSize * " + Text.Of(layer.OutputSize) + ")";

        public static string ReadOutput(LayerPlan layer) =>
            "new " + ReadOnlySpan + "(" + layer.OutputBuffer + ", 0, batchSize * " + Text.Of(layer.OutputSize) + ")";

        public static string Gradient(string buffer, int size) =>
            "new " + Span + "(" + buffer + ", 0, batchSize * " + Text.Of(size) + ")";

        public static string ReadGradient(string buffer, int size) =>
            "new " + ReadOnlySpan + "(" + buffer + ", 0, batchSize * " + Text.Of(size) + ")";

        public static string Parameters(int offset, int count) =>
            count == 0 ? ReadOnlySpan + ".Empty" : "new " + ReadOnlySpan + "(_parameters, " + Text.Of(offset) + ", " + Text.Of(count) + ")";

        public static string ParameterGradients(int offset, int count) =>
            count == 0 ? Span + ".Empty" : "new " + Span + "(_gradients, " + Text.Of(offset) + ", " + Text.Of(count) + ")";

        public static string Weights(LayerPlan layer) => Parameters(layer.WeightOffset, layer.WeightCount);

        public static string Biases(LayerPlan layer) => Parameters(layer.BiasOffset, layer.BiasCount);

        public static string WeightGradients(LayerPlan layer) => ParameterGradients(layer.WeightOffset, layer.WeightCount);

        public static string BiasGradients(LayerPlan layer) => ParameterGradients(layer.BiasOffset, layer.BiasCount);

        public static string RunningMean(LayerPlan layer) =>
            "new " + Span + "(_runningStatistics, " + Text.Of(layer.StateOffset) + ", " + Text.Of(layer.InputChannels) + ")";

        public static string RunningVariance(LayerPlan layer) =>
            "new " + Span + "(_runningStatistics, " + Text.Of(layer.StateOffset + layer.InputChannels) + ", " + Text.Of(layer.InputChannels) + ")";

        /// <summary>The saved statistics of a normalization layer: fixed per channel for BatchNorm, per example otherwise.</summary>
        public static string Saved(string field, LayerPlan layer)
        {
            int perExample = StateEmitter.StatisticsPerExample(layer);
            return perExample == 0 ? field : "new " + Span + "(" + field + ", 0, batchSize * " + Text.Of(perExample) + ")";
        }
    }
}

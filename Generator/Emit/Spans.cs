using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>Expressions for the batch-sized spans over a layer's input, output and gradient buffers.</summary>
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

        public static string Parameters(int offset, int count) =>
            "new " + ReadOnlySpan + "(_parameters, " + Text.Of(offset) + ", " + Text.Of(count) + ")";

        public static string ParameterGradients(int offset, int count) =>
            "new " + Span + "(_gradients, " + Text.Of(offset) + ", " + Text.Of(count) + ")";
    }
}

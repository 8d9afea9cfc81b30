using System.Linq;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Emit
{
    /// <summary>
    /// Writes the im2col and col2im methods of each convolution with the kernel taps unrolled. For each tap the
    /// range of output rows and columns that reads real input (not padding) is worked out here, so the emitted
    /// loops have constant bounds and no per-element padding test.
    /// </summary>
    internal static class ConvolutionEmitter
    {
        private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
        private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
        private const string Rows = "global::ModelCompiler.Kernels.Rows";

        public static void Write(SourceWriter writer, ModelPlan plan)
        {
            foreach (var layer in plan.Layers.Where(l => l.Kind == LayerKind.Conv2D && !l.IsPointwise))
            {
                WriteTransform(writer, layer, gradient: false);
                if (plan.FirstTrainableIndex >= 0 && layer.Index > plan.FirstTrainableIndex)
                {
                    WriteTransform(writer, layer, gradient: true);
                }
            }
        }

        private static void WriteTransform(SourceWriter writer, LayerPlan layer, bool gradient)
        {
            int height = layer.InputHeight, width = layer.InputWidth;
            int positions = layer.Positions;
            int taps = layer.Spec.KernelHeight * layer.Spec.KernelWidth;

            writer.Line("/// <summary>");
            if (gradient)
            {
                writer.Line("/// " + layer.Name + " col2im: adds each of the " + Text.Of(layer.PatchSize) + " x " + Text.Of(positions)
                    + " column gradients back onto the input position it was copied from (" + LayerText.InputShape(layer) + ").");
            }
            else
            {
                writer.Line("/// " + layer.Name + " im2col: row (c, ky, kx) of the " + Text.Of(layer.PatchSize) + " x " + Text.Of(positions)
                    + " matrix contains input channel c shifted by tap (ky, kx) at every output position. Padding cells stay zero.");
            }

            writer.Line("/// </summary>");
            string signature = gradient
                ? "private static void " + layer.Name + "Col2Im(" + Spans.ReadOnlySpan + " columns, " + Spans.Span + " image)"
                : "private static void " + layer.Name + "Im2Col(" + Spans.ReadOnlySpan + " image, " + Spans.Span + " columns)";
            if ((long)layer.Spec.KernelHeight * layer.Spec.KernelWidth > ModelValidator.MaxUnrolledTaps)
            {
                // Too many taps to unroll: the runtime's loops do the same transform.
                using (writer.Block(signature))
                {
                    writer.Line("global::ModelCompiler.Kernels.ConvolutionGeometry geometry = new global::ModelCompiler.Kernels.ConvolutionGeometry(" + Geometry(layer) + ");");
                    writer.Line(gradient ? "global::ModelCompiler.Kernels.Im2Col.Scatter(columns, image, geometry);" : "global::ModelCompiler.Kernels.Im2Col.Gather(image, columns, geometry);");
                }

                writer.Line();
                return;
            }

            using (writer.Block(signature))
            {
                if (gradient)
                {
                    writer.Line("image.Clear();");
                }

                writer.Line("ref float imageStart = ref " + Marshal + ".GetReference(image);");
                writer.Line("ref float columnStart = ref " + Marshal + ".GetReference(columns);");
                bool loopChannels = layer.InputChannels > 1;
                var channelBlock = loopChannels ? writer.Block("for (int c = 0; c < " + Text.Of(layer.InputChannels) + "; c++)") : null;
                writer.Line("ref float plane = ref " + Unsafe + ".Add(ref imageStart, " + (loopChannels ? "c * " + Text.Of(height * width) : "0") + ");");
                writer.Line("ref float rows = ref " + Unsafe + ".Add(ref columnStart, " + (loopChannels ? "c * " + Text.Of(taps * positions) : "0") + ");");
                for (int ky = 0; ky < layer.Spec.KernelHeight; ky++)
                {
                    for (int kx = 0; kx < layer.Spec.KernelWidth; kx++)
                    {
                        WriteTap(writer, layer, ky, kx, gradient);
                    }
                }

                channelBlock?.Dispose();
            }

            writer.Line();
        }

        private static string Geometry(LayerPlan layer)
        {
            var spec = layer.Spec;
            return string.Join(", ", new[]
            {
                layer.InputChannels, layer.InputHeight, layer.InputWidth, spec.KernelHeight, spec.KernelWidth, spec.StrideHeight, spec.StrideWidth,
                spec.PaddingHeight, spec.PaddingWidth, spec.DilationHeight, spec.DilationWidth, layer.OutputHeight, layer.OutputWidth,
            }.Select(Text.Of));
        }

        private static void WriteTap(SourceWriter writer, LayerPlan layer, int ky, int kx, bool gradient)
        {
            var spec = layer.Spec;
            int tap = ky * spec.KernelWidth + kx;
            int rowShift = ky * spec.DilationHeight - spec.PaddingHeight;
            int columnShift = kx * spec.DilationWidth - spec.PaddingWidth;
            var (firstRow, endRow) = ValidRange(rowShift, spec.StrideHeight, layer.InputHeight, layer.OutputHeight);
            var (firstColumn, endColumn) = ValidRange(columnShift, spec.StrideWidth, layer.InputWidth, layer.OutputWidth);
            if (firstRow >= endRow || firstColumn >= endColumn)
            {
                writer.Line("// Tap (" + Text.Of(ky) + ", " + Text.Of(kx) + ") reads only padding.");
                return;
            }

            int count = endColumn - firstColumn;
            int inputOffset = rowShift * layer.InputWidth + firstColumn * spec.StrideWidth + columnShift;
            int columnOffset = tap * layer.Positions + firstColumn;
            writer.Line("// Tap (" + Text.Of(ky) + ", " + Text.Of(kx) + "): output rows " + Text.Of(firstRow) + ".." + Text.Of(endRow - 1)
                + ", columns " + Text.Of(firstColumn) + ".." + Text.Of(endColumn - 1) + ".");
            using (writer.Block("for (int y = " + Text.Of(firstRow) + "; y < " + Text.Of(endRow) + "; y++)"))
            {
                string imageCell = "ref " + Unsafe + ".Add(ref plane, y * " + Text.Of(spec.StrideHeight * layer.InputWidth) + Text.Plus(inputOffset) + ")";
                string columnCell = "ref " + Unsafe + ".Add(ref rows, y * " + Text.Of(layer.OutputWidth) + Text.Plus(columnOffset) + ")";
                int stride = spec.StrideWidth;
                if (gradient)
                {
                    writer.Line(stride == 1
                        ? Rows + ".Add(" + columnCell + ", " + imageCell + ", " + Text.Of(count) + ");"
                        : Rows + ".AddStrided(" + columnCell + ", " + imageCell + ", " + Text.Of(stride) + ", " + Text.Of(count) + ");");
                }
                else
                {
                    writer.Line(stride == 1
                        ? Rows + ".Copy(" + imageCell + ", " + columnCell + ", " + Text.Of(count) + ");"
                        : Rows + ".CopyStrided(" + imageCell + ", " + Text.Of(stride) + ", " + columnCell + ", " + Text.Of(count) + ");");
                }
            }
        }

        /// <summary>
        /// Output positions o in [first, end) whose input position o*stride + shift lies in [0, inputSize), where shift is
        /// the tap's offset times the dilation minus the padding.
        /// </summary>
        private static (int First, int End) ValidRange(int shift, int stride, int inputSize, int outputSize)
        {
            int first = CeilingDivide(-shift, stride);
            int end = FloorDivide(inputSize - 1 - shift, stride) + 1;
            return (System.Math.Max(first, 0), System.Math.Min(end, outputSize));
        }

        private static int CeilingDivide(int value, int divisor) => -FloorDivide(-value, divisor);

        private static int FloorDivide(int value, int divisor)
        {
            int quotient = value / divisor;
            return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
        }
    }
}

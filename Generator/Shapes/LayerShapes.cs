using ModelCompiler.Generator.Model;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>Output shape and parameter layout of each layer kind, for layers already validated.</summary>
    internal static class LayerShapes
    {
        public static void Apply(LayerPlan layer, ref int channels, ref int height, ref int width)
        {
            var spec = layer.Spec;
            switch (spec.Kind)
            {
                case LayerKind.Conv2D:
                case LayerKind.MaxPool2D:
                case LayerKind.AvgPool2D:
                    height = Output(height, spec.KernelHeight, spec.DilationHeight, spec.StrideHeight, spec.PaddingHeight);
                    width = Output(width, spec.KernelWidth, spec.DilationWidth, spec.StrideWidth, spec.PaddingWidth);
                    channels = spec.Kind == LayerKind.Conv2D ? spec.Units : channels;
                    break;
                case LayerKind.GlobalAvgPool2D:
                    height = 1;
                    width = 1;
                    break;
                case LayerKind.Dense:
                    channels = spec.Units;
                    height = 1;
                    width = 1;
                    break;
                case LayerKind.Maxout:
                    channels /= spec.Units;
                    break;
            }

            layer.OutputChannels = channels;
            layer.OutputHeight = height;
            layer.OutputWidth = width;
        }

        public static void AssignParameters(LayerPlan layer, ref int offset, ref int state)
        {
            var spec = layer.Spec;
            int channels = layer.InputChannels;
            switch (spec.Kind)
            {
                case LayerKind.Conv2D:
                    layer.FanIn = channels * spec.KernelHeight * spec.KernelWidth;
                    layer.FanOut = spec.Units * spec.KernelHeight * spec.KernelWidth;
                    layer.WeightCount = layer.FanIn * spec.Units;
                    layer.BiasCount = spec.Units;
                    break;
                case LayerKind.Dense:
                    layer.FanIn = layer.InputSize;
                    layer.FanOut = spec.Units;
                    layer.WeightCount = layer.FanIn * spec.Units;
                    layer.BiasCount = spec.Units;
                    break;
                case LayerKind.PReLU:
                    layer.WeightCount = spec.Option ? 1 : channels;
                    break;
                case LayerKind.BatchNorm:
                case LayerKind.GroupNorm:
                    layer.WeightCount = channels;
                    layer.BiasCount = channels;
                    break;
                case LayerKind.InstanceNorm:
                    layer.WeightCount = spec.Option ? channels : 0;
                    layer.BiasCount = spec.Option ? channels : 0;
                    break;
                case LayerKind.LayerNorm:
                    layer.WeightCount = layer.InputSize;
                    layer.BiasCount = layer.InputSize;
                    break;
            }

            layer.WeightOffset = offset;
            layer.BiasOffset = offset + layer.WeightCount;
            offset += layer.WeightCount + layer.BiasCount;
            if (spec.Kind == LayerKind.BatchNorm)
            {
                layer.StateOffset = state;
                layer.StateCount = 2 * channels;
                state += layer.StateCount;
            }
        }

        /// <summary>Applies the validated output-size rule, so the size is always whole here.</summary>
        private static int Output(int input, int size, int dilation, int stride, int padding) =>
            Geometry.OutputSize(new Dimension(input, size, dilation, stride, padding))!.Value;
    }
}

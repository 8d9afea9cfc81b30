using System.Collections.Generic;
using ModelCompiler.Generator.Diagnostics;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Parsing;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// Validates the sliding-window layers (Conv2D, MaxPool2D, AvgPool2D): resolves square and per-dimension
    /// settings, checks each value, and applies the output-size rule to height and width.
    /// </summary>
    internal static class WindowValidator
    {
        public static LayerSpec? Validate(DeclaredLayer layer, ShapeState state, ValidationContext context)
        {
            bool convolution = layer.Kind == LayerKind.Conv2D;
            bool valid = true;
            int filters = 0;
            if (convolution)
            {
                valid &= context.RequireAtLeast(layer, layer.Get("Filters", 0), 1);
                filters = layer.Get("Filters", 0).IntValue;
            }

            var kernel = Pair.Resolve(layer, "Size", "KernelHeight", "KernelWidth", fallbackHeight: 0, fallbackWidth: 0, context);
            valid &= kernel is not null && kernel.RequireAtLeast(layer, 1, context);
            if (kernel is null)
            {
                return Invalid(state);
            }

            // Pooling strides default to the window size in each dimension; convolution strides to 1.
            var stride = Pair.Resolve(layer, "Stride", "StrideHeight", "StrideWidth", convolution ? 1 : kernel.Height, convolution ? 1 : kernel.Width, context);
            var padding = Pair.Resolve(layer, "Padding", "PaddingHeight", "PaddingWidth", 0, 0, context);
            var dilation = convolution ? Pair.Resolve(layer, "Dilation", "DilationHeight", "DilationWidth", 1, 1, context) : Pair.Fixed(1);
            if (stride is null || padding is null || dilation is null)
            {
                return Invalid(state);
            }

            // A pooling stride left unset equals the window size, which was checked already.
            bool strideWritten = layer.IsSet("Stride") || layer.IsSet("StrideHeight") || layer.IsSet("StrideWidth");
            if (convolution || strideWritten)
            {
                valid &= stride.RequireAtLeast(layer, 1, context);
            }

            valid &= padding.RequireAtLeast(layer, 0, context);
            valid &= dilation.RequireAtLeast(layer, 1, context);
            if (valid && !convolution)
            {
                valid &= padding.RequireAtMostHalf(layer, kernel, context);
            }

            var spec = new LayerSpec(layer.Kind)
            {
                Units = filters,
                KernelHeight = kernel.Height,
                KernelWidth = kernel.Width,
                StrideHeight = stride.Height,
                StrideWidth = stride.Width,
                PaddingHeight = padding.Height,
                PaddingWidth = padding.Width,
                DilationHeight = dilation.Height,
                DilationWidth = dilation.Width,
                Option = layer.Kind == LayerKind.AvgPool2D && (bool)(layer.Get("CountIncludePadding", true).Value ?? true),
            };

            if (!valid)
            {
                return Invalid(state, spec);
            }

            if (!context.RequireSpatial(layer, state))
            {
                return spec;
            }

            var height = new Dimension(state.Height, kernel.Height, dilation.Height, stride.Height, padding.Height);
            var width = new Dimension(state.Width, kernel.Width, dilation.Width, stride.Width, padding.Width);
            // A square kernel too large for both dimensions is reported once, on the smaller padded dimension.
            bool sameArgument = ReferenceEquals(kernel.HeightArgument, kernel.WidthArgument) && height.Dilation == width.Dilation;
            bool heightFirst = height.PaddedInput <= width.PaddedInput;
            bool fits = sameArgument
                ? (heightFirst ? Fits(layer, "height", height, kernel.HeightArgument, context) && Fits(layer, "width", width, kernel.WidthArgument, context)
                               : Fits(layer, "width", width, kernel.WidthArgument, context) && Fits(layer, "height", height, kernel.HeightArgument, context))
                : Fits(layer, "height", height, kernel.HeightArgument, context) & Fits(layer, "width", width, kernel.WidthArgument, context);
            if (!fits)
            {
                state.Known = false;
                return spec;
            }

            long? outputHeight = Geometry.OutputSizeLong(height);
            long? outputWidth = Geometry.OutputSizeLong(width);
            if (outputHeight is null || outputWidth is null)
            {
                NonIntegralReporter.Report(layer, height, width, outputHeight is null, outputWidth is null, kernel, stride, padding, dilation, convolution, context);
                state.Known = false;
                return spec;
            }

            // A huge padding can make the output larger than any buffer; the product is computed in doubles so it cannot overflow.
            long channels = convolution ? filters : state.Channels;
            double values = (double)channels * outputHeight.Value * outputWidth.Value;
            if (values > ModelValidator.MaxValuesPerExample)
            {
                context.Report(DiagnosticDescriptors.ModelTooLarge, layer.Location, layer.Name + " (layer " + ValidationContext.Format(layer.Number) + ")", values.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "output values per example", ValidationContext.Format(ModelValidator.MaxValuesPerExample));
                state.Known = false;
                return spec;
            }

            state.Channels = (int)channels;
            state.Height = (int)outputHeight.Value;
            state.Width = (int)outputWidth.Value;
            return spec;
        }

        private static LayerSpec? Invalid(ShapeState state, LayerSpec? spec = null)
        {
            state.Known = false;
            return spec;
        }

        private static bool Fits(DeclaredLayer layer, string name, Dimension dimension, DeclaredArgument kernelArgument, ValidationContext context)
        {
            if (dimension.EffectiveSize <= dimension.PaddedInput)
            {
                return true;
            }

            string what = (dimension.Padding > 0 || layer.Kind == LayerKind.Conv2D ? "padded input " : "input ") + name;
            string value = dimension.Padding > 0 || layer.Kind == LayerKind.Conv2D
                ? ValidationContext.Format(dimension.Input) + " + 2*" + ValidationContext.Format(dimension.Padding) + " = " + ValidationContext.Format(dimension.PaddedInput)
                : ValidationContext.Format(dimension.Input);
            long largest = (dimension.PaddedInput - 1) / dimension.Dilation + 1;
            string kernel = kernelArgument.Name + " = " + ValidationContext.Format(dimension.Size);
            string advice = "use " + kernelArgument.Name + " <= " + ValidationContext.Format(largest);
            if (dimension.Dilation != 1)
            {
                kernel += " (spanning " + ValidationContext.Format(dimension.EffectiveSize) + " with dilation " + ValidationContext.Format(dimension.Dilation) + ")";
                advice += " at this dilation";
            }

            context.Report(DiagnosticDescriptors.KernelLargerThanInput, kernelArgument.Location, layer.Name, ValidationContext.Format(layer.Number), kernel, what, value, advice);
            return false;
        }
    }
}

using System;
using System.Collections.Generic;
using ModelCompiler.Generator.Diagnostics;
using ModelCompiler.Generator.Parsing;

namespace ModelCompiler.Generator.Shapes
{
    /// <summary>
    /// Reports MC0005 for a window whose output size is not a whole number: the rule with the actual numbers, and
    /// the nearest paddings, strides (and for pooling, window sizes) that would make it whole.
    /// </summary>
    internal static class NonIntegralReporter
    {
        public static void Report(
            DeclaredLayer layer,
            Dimension height,
            Dimension width,
            bool heightFails,
            bool widthFails,
            Pair kernel,
            Pair stride,
            Pair padding,
            Pair dilation,
            bool convolution,
            ValidationContext context)
        {
            bool strideWritten = stride.HeightArgument.IsSet;

            // One setting that covers both dimensions and fails in both gets one diagnostic naming both.
            var heightAt = AtFault(stride.HeightArgument, padding.HeightArgument, dilation.HeightArgument, kernel.HeightArgument, convolution);
            var widthAt = AtFault(stride.WidthArgument, padding.WidthArgument, dilation.WidthArgument, kernel.WidthArgument, convolution);
            if (heightFails && widthFails && ReferenceEquals(heightAt, widthAt) && height.Input == width.Input && SameSettings(height, width))
            {
                ReportDimension(layer, "height and width", new[] { height, width }, height, heightAt, convolution, strideWritten, context);
                return;
            }

            if (heightFails)
            {
                ReportDimension(layer, "height", Affected(heightAt, height, width), height, heightAt, convolution, stride.HeightArgument.IsSet, context);
            }

            if (widthFails)
            {
                ReportDimension(layer, "width", Affected(widthAt, height, width, widthFirst: true), width, widthAt, convolution, stride.WidthArgument.IsSet, context);
            }
        }

        private static void ReportDimension(
            DeclaredLayer layer,
            string name,
            IReadOnlyList<Dimension> affected,
            Dimension failing,
            DeclaredArgument at,
            bool convolution,
            bool strideWritten,
            ValidationContext context)
        {
            string suffix = SuffixOf(at.Name);
            var options = new List<string>();
            var fixes = new List<string>();
            if (convolution)
            {
                foreach (int candidate in Geometry.NearestPaddings(affected))
                {
                    fixes.Add("Padding" + suffix + ":" + ValidationContext.Format(candidate) + ":" + Geometry.DescribeOutputs(affected, d => d.With(padding: candidate)));
                    options.Add("Padding" + suffix + " = " + ValidationContext.Format(candidate) + " (output " + Geometry.DescribeOutputs(affected, d => d.With(padding: candidate)) + ")");
                }
            }
            else
            {
                string sizeName = suffix.Length == 0 ? "Size" : "Kernel" + suffix;

                // An unwritten pooling stride follows the window size, so a new size only works with the stride kept.
                string keepStride = strideWritten ? string.Empty : " with Stride" + suffix + " = " + ValidationContext.Format(failing.Stride);
                foreach (int candidate in Geometry.NearestSizes(affected))
                {
                    fixes.Add(sizeName + ":" + ValidationContext.Format(candidate) + ":" + Geometry.DescribeOutputs(affected, d => d.With(size: candidate)));
                    options.Add(sizeName + " = " + ValidationContext.Format(candidate) + keepStride + " (output " + Geometry.DescribeOutputs(affected, d => d.With(size: candidate)) + ")");
                }
            }

            foreach (int candidate in Geometry.NearestStrides(affected))
            {
                fixes.Add("Stride" + suffix + ":" + ValidationContext.Format(candidate) + ":" + Geometry.DescribeOutputs(affected, d => d.With(stride: candidate)));
                options.Add("Stride" + suffix + " = " + ValidationContext.Format(candidate) + " (output " + Geometry.DescribeOutputs(affected, d => d.With(stride: candidate)) + ")");
            }

            string advice = options.Count == 0
                ? "no nearby stride or padding gives a whole number; change the kernel size"
                : "nearest valid settings: " + string.Join(", ", options);
            // Code fixes read the suggested settings as "Name:value:output" entries separated by ';'.
            context.Report(
                DiagnosticDescriptors.NonIntegralOutputSize,
                at.Location,
                new[] { "Fixes=" + string.Join(";", fixes) },
                layer.Name,
                ValidationContext.Format(layer.Number),
                name,
                Geometry.Arithmetic(failing, convolution),
                Geometry.ExactValue(failing),
                advice);
        }

        /// <summary>
        /// The argument to underline: the stride if written, else the padding, else the dilation, else the kernel size,
        /// since the stride is the usual mistake.
        /// </summary>
        private static DeclaredArgument AtFault(DeclaredArgument stride, DeclaredArgument padding, DeclaredArgument dilation, DeclaredArgument kernel, bool convolution)
        {
            if (stride.IsSet)
            {
                return stride;
            }

            if (padding.IsSet)
            {
                return padding;
            }

            return convolution && dilation.IsSet ? dilation : kernel;
        }

        /// <summary>The dimensions a change of <paramref name="at"/> affects: both for a square argument, else its own.</summary>
        private static IReadOnlyList<Dimension> Affected(DeclaredArgument at, Dimension height, Dimension width, bool widthFirst = false)
        {
            if (SuffixOf(at.Name).Length > 0)
            {
                return new[] { widthFirst ? width : height };
            }

            return new[] { height, width };
        }

        private static string SuffixOf(string name) =>
            name.EndsWith("Height", StringComparison.Ordinal) ? "Height" : name.EndsWith("Width", StringComparison.Ordinal) ? "Width" : string.Empty;

        private static bool SameSettings(Dimension a, Dimension b) =>
            a.Size == b.Size && a.Stride == b.Stride && a.Padding == b.Padding && a.Dilation == b.Dilation;
    }
}

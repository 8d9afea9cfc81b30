using System;

namespace ModelCompiler.CodeFixes
{
    /// <summary>The spatial dimensions that one window argument sets.</summary>
    internal enum WindowDimension
    {
        /// <summary>A square argument such as Stride, which sets height and width together.</summary>
        Both,
        Height,
        Width,
    }

    /// <summary>
    /// A window quantity of Conv2D, MaxPool2D and AvgPool2D with its square argument (Size, Stride, ...) and its
    /// per-dimension arguments (KernelHeight and KernelWidth, ...). An attribute may set either form of a quantity,
    /// never both.
    /// </summary>
    internal sealed class WindowSetting
    {
        public static readonly WindowSetting Kernel = new WindowSetting("Size", "KernelHeight", "KernelWidth");

        public static readonly WindowSetting Stride = new WindowSetting("Stride", "StrideHeight", "StrideWidth");

        public static readonly WindowSetting Padding = new WindowSetting("Padding", "PaddingHeight", "PaddingWidth");

        public static readonly WindowSetting Dilation = new WindowSetting("Dilation", "DilationHeight", "DilationWidth");

        private static readonly WindowSetting[] s_all = { Kernel, Stride, Padding, Dilation };

        private WindowSetting(string square, string height, string width)
        {
            Square = square;
            Height = height;
            Width = width;
        }

        public string Square { get; }

        public string Height { get; }

        public string Width { get; }

        public string NameOf(WindowDimension dimension) => dimension switch
        {
            WindowDimension.Height => Height,
            WindowDimension.Width => Width,
            _ => Square,
        };

        /// <summary>Finds the quantity and dimension of an argument name such as "PaddingWidth".</summary>
        public static bool TryFind(string name, out WindowSetting setting, out WindowDimension dimension)
        {
            foreach (var candidate in s_all)
            {
                foreach (WindowDimension value in new[] { WindowDimension.Both, WindowDimension.Height, WindowDimension.Width })
                {
                    if (string.Equals(candidate.NameOf(value), name, StringComparison.Ordinal))
                    {
                        setting = candidate;
                        dimension = value;
                        return true;
                    }
                }
            }

            setting = Kernel;
            dimension = WindowDimension.Both;
            return false;
        }
    }
}

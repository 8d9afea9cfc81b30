namespace ModelCompiler;

/// <summary>
/// 2-D average pooling over windows of each channel, with optional zero padding (PyTorch's <c>AvgPool2d</c>).
/// </summary>
/// <remarks>
/// Output size follows the same rule as <see cref="MaxPool2DAttribute"/>. With <see cref="CountIncludePadding"/>
/// true (PyTorch's default) every window sum is divided by the full window area; with false, by the number of real
/// input cells the window covers.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Attribute
{
    /// <summary>Window height and width.</summary>
    public int Size { get; set; }

    /// <summary>Window rows, for a rectangular window.</summary>
    public int KernelHeight { get; set; }

    /// <summary>Window columns, for a rectangular window.</summary>
    public int KernelWidth { get; set; }

    /// <summary>Step between neighbouring windows; equal to the window size unless set.</summary>
    public int Stride { get; set; }

    /// <summary>Vertical step, for different steps per dimension.</summary>
    public int StrideHeight { get; set; }

    /// <summary>Horizontal step, for different steps per dimension.</summary>
    public int StrideWidth { get; set; }

    /// <summary>Zero padding on every side; 0 unless set.</summary>
    public int Padding { get; set; }

    /// <summary>Rows of zero padding above and below.</summary>
    public int PaddingHeight { get; set; }

    /// <summary>Columns of zero padding left and right.</summary>
    public int PaddingWidth { get; set; }

    /// <summary>Whether padding cells count in the divisor; true unless set, as in PyTorch.</summary>
    public bool CountIncludePadding { get; set; } = true;
}

namespace ModelCompiler;

/// <summary>
/// 2-D max pooling over windows of each channel.
/// </summary>
/// <remarks>
/// Output width is (W + 2P - F) / S + 1, which is (W - F)/S + 1 without padding, and must be a whole number;
/// height likewise. Padding cells count as negative infinity and may be at most half the window, as in PyTorch.
/// The backward pass sends each window's gradient to the first maximum in row-major order, as PyTorch does.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
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

    /// <summary>Padding on every side; 0 unless set.</summary>
    public int Padding { get; set; }

    /// <summary>Rows of padding above and below.</summary>
    public int PaddingHeight { get; set; }

    /// <summary>Columns of padding left and right.</summary>
    public int PaddingWidth { get; set; }
}

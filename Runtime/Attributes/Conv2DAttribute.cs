namespace ModelCompiler;

/// <summary>
/// A 2-D convolution (cross-correlation, as in PyTorch's <c>Conv2d</c>) with <see cref="Filters"/> kernels,
/// a bias per filter, zero padding and optional dilation.
/// </summary>
/// <remarks>
/// <para>
/// Square settings (<see cref="Size"/>, <see cref="Stride"/>, <see cref="Padding"/>, <see cref="Dilation"/>) set
/// height and width together; the per-dimension settings (<see cref="KernelHeight"/>, ...) set one of them and
/// cannot be combined with the square setting of the same quantity.
/// </para>
/// <para>
/// Output width is (W + 2P - D*(F - 1) - 1) / S + 1, which is (W - F + 2P)/S + 1 without dilation, and must be a
/// whole number; height likewise. Weights are stored OIHW (filters, input channels, kernel rows, kernel columns),
/// then the biases. Fan-in for initialization is F_h * F_w * C.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>Number of filters, which is the number of output channels.</summary>
    public int Filters { get; set; }

    /// <summary>Kernel height and width.</summary>
    public int Size { get; set; }

    /// <summary>Kernel rows, for a rectangular kernel.</summary>
    public int KernelHeight { get; set; }

    /// <summary>Kernel columns, for a rectangular kernel.</summary>
    public int KernelWidth { get; set; }

    /// <summary>Step between neighbouring kernel positions; 1 unless set.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Vertical step, for different steps per dimension.</summary>
    public int StrideHeight { get; set; }

    /// <summary>Horizontal step, for different steps per dimension.</summary>
    public int StrideWidth { get; set; }

    /// <summary>Zero rows and columns added on every side of the input; 0 unless set.</summary>
    public int Padding { get; set; }

    /// <summary>Zero rows added above and below, for different padding per dimension.</summary>
    public int PaddingHeight { get; set; }

    /// <summary>Zero columns added left and right, for different padding per dimension.</summary>
    public int PaddingWidth { get; set; }

    /// <summary>Spacing between kernel taps; 1 (a dense kernel) unless set.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Vertical spacing between kernel taps.</summary>
    public int DilationHeight { get; set; }

    /// <summary>Horizontal spacing between kernel taps.</summary>
    public int DilationWidth { get; set; }

    /// <summary>How the weights are drawn; the model's default unless set.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>The std of <see cref="Initializer.Gaussian"/> or the value of <see cref="Initializer.Constant"/>; 0.01 unless set.</summary>
    public double InitializerScale { get; set; } = 0.01;
}

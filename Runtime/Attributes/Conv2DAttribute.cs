namespace ModelCompiler;

/// <summary>
/// A 2-D convolution (cross-correlation, as in PyTorch's <c>Conv2d</c>) with <see cref="Filters"/> square
/// kernels of <see cref="Size"/> x <see cref="Size"/>, a bias per filter, and zero padding.
/// </summary>
/// <remarks>
/// Output width is (W - Size + 2 * Padding) / Stride + 1 and must be a whole number; height likewise.
/// Weights are stored OIHW (filters, input channels, kernel rows, kernel columns), then the biases.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>Number of filters, which is the number of output channels.</summary>
    public int Filters { get; set; }

    /// <summary>Kernel height and width.</summary>
    public int Size { get; set; }

    /// <summary>Step between neighbouring kernel positions; 1 unless set.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero rows and columns added on every side of the input; 0 unless set.</summary>
    public int Padding { get; set; }
}

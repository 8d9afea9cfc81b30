namespace ModelCompiler;

/// <summary>
/// 2-D max pooling over <see cref="Size"/> x <see cref="Size"/> windows of each channel.
/// </summary>
/// <remarks>
/// Output width is (W - Size) / Stride + 1 and must be a whole number; height likewise. The backward pass
/// sends each window's gradient to the first maximum in row-major order, as PyTorch does.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <summary>Window height and width.</summary>
    public int Size { get; set; }

    /// <summary>Step between neighbouring windows; equal to <see cref="Size"/> unless set.</summary>
    public int Stride { get; set; }
}

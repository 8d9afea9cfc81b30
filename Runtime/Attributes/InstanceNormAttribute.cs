namespace ModelCompiler;

/// <summary>
/// Instance normalization (PyTorch's <c>InstanceNorm2d</c>): each channel of each example is normalized over its
/// height and width. Without <see cref="Affine"/> (PyTorch's default) it has no parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InstanceNormAttribute : Attribute
{
    /// <summary>Added to the variance before the square root; 1e-5 unless set, as in PyTorch.</summary>
    public double Epsilon { get; set; } = 1e-5;

    /// <summary>True to learn a scale and shift per channel; false unless set, as in PyTorch.</summary>
    public bool Affine { get; set; }
}

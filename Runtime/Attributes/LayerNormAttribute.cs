namespace ModelCompiler;

/// <summary>
/// Layer normalization (PyTorch's <c>LayerNorm</c> over the whole C x H x W shape): each example is normalized over
/// all its values, then scaled and shifted per element. Training and evaluation behave the same.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>Added to the variance before the square root; 1e-5 unless set, as in PyTorch.</summary>
    public double Epsilon { get; set; } = 1e-5;
}

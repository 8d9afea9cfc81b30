namespace ModelCompiler;

/// <summary>
/// Group normalization (PyTorch's <c>GroupNorm</c>): each example is normalized over each group of C / Groups
/// consecutive channels and their height and width, then scaled and shifted per channel.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GroupNormAttribute : Attribute
{
    /// <summary>Number of channel groups; must divide the channel count.</summary>
    public int Groups { get; set; }

    /// <summary>Added to the variance before the square root; 1e-5 unless set, as in PyTorch.</summary>
    public double Epsilon { get; set; } = 1e-5;
}

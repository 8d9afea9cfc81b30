namespace ModelCompiler;

/// <summary>
/// Element-wise x for x &gt; 0 and a * x otherwise, with learnable slopes a (PyTorch's <c>PReLU</c>): one per
/// channel unless <see cref="Shared"/> is set, then one for the whole layer. Slopes start at 0.25, as in PyTorch,
/// and are stored in the parameter buffer like weights.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PReLUAttribute : Attribute
{
    /// <summary>True for a single slope shared by all channels; false (one slope per channel) unless set.</summary>
    public bool Shared { get; set; }
}

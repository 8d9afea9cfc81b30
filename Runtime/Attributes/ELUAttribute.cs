namespace ModelCompiler;

/// <summary>Element-wise x for x &gt; 0 and <see cref="Alpha"/> * (exp(x) - 1) otherwise (PyTorch's <c>ELU</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ELUAttribute : Attribute
{
    /// <summary>Value the output approaches for large negative inputs, negated; 1.0 unless set.</summary>
    public double Alpha { get; set; } = 1.0;
}

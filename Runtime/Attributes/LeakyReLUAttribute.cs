namespace ModelCompiler;

/// <summary>Element-wise x for x &gt; 0 and <see cref="Slope"/> * x otherwise (PyTorch's <c>LeakyReLU</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LeakyReLUAttribute : Attribute
{
    /// <summary>Slope for negative inputs; 0.01 unless set, as in PyTorch.</summary>
    public double Slope { get; set; } = 0.01;
}

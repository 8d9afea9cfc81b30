namespace ModelCompiler;

/// <summary>Element-wise x * sigmoid(<see cref="Beta"/> * x); with Beta = 1 this is SiLU (PyTorch's <c>SiLU</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SwishAttribute : Attribute
{
    /// <summary>Sharpness of the gate; 1.0 unless set.</summary>
    public double Beta { get; set; } = 1.0;
}

namespace ModelCompiler;

/// <summary>
/// Element-wise x * Phi(x), Phi the standard normal CDF (PyTorch's <c>GELU</c>): exact through erf unless
/// <see cref="Approximation"/> selects the tanh form. Both forms use their own exact derivatives.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GELUAttribute : Attribute
{
    /// <summary>Exact (the default) or the tanh approximation.</summary>
    public GeluApproximation Approximation { get; set; }
}

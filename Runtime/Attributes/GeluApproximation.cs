namespace ModelCompiler;

/// <summary>How a GELU layer computes the standard normal CDF.</summary>
public enum GeluApproximation
{
    /// <summary>Exact: x * 0.5 * (1 + erf(x / sqrt(2))), PyTorch's approximate='none'.</summary>
    None = 0,

    /// <summary>x * 0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3))), PyTorch's approximate='tanh'.</summary>
    Tanh = 1,
}

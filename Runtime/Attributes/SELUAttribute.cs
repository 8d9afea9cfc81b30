namespace ModelCompiler;

/// <summary>
/// Element-wise scale * ELU(x, alpha) with the fixed constants alpha = 1.6732632423543772 and
/// scale = 1.0507009873554805 of Klambauer et al. (2017), as in PyTorch's <c>SELU</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SELUAttribute : Attribute
{
}

namespace ModelCompiler;

/// <summary>Rectified linear unit, max(0, x), applied element-wise; its derivative at 0 is taken as 0.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReLUAttribute : Attribute
{
}

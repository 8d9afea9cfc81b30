namespace ModelCompiler;

/// <summary>Element-wise logistic sigmoid, 1 / (1 + exp(-x)), computed without overflow for large |x|.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SigmoidAttribute : Attribute
{
}

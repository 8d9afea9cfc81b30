namespace ModelCompiler;

/// <summary>Averages each channel over its whole height and width, so C x H x W becomes C x 1 x 1.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPool2DAttribute : Attribute
{
}

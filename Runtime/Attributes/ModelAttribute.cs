namespace ModelCompiler;

/// <summary>
/// Marks a <c>partial class</c> as a network whose code is generated at build time, and sets the
/// shape of one input example in NCHW order (channels, height, width).
/// </summary>
/// <remarks>
/// The layers are the layer attributes (<see cref="Conv2DAttribute"/>, <see cref="DenseAttribute"/>, ...)
/// on the same declaration, applied in source order. The last one must be a loss such as
/// <see cref="SoftmaxCrossEntropyAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>Number of input channels (1 for grey images, 3 for RGB).</summary>
    public int Channels { get; set; } = 1;

    /// <summary>Input height in pixels.</summary>
    public int Height { get; set; } = 1;

    /// <summary>Input width in pixels.</summary>
    public int Width { get; set; } = 1;

    /// <summary>Weight initializer of every layer that does not set its own; <see cref="Initializer.KaimingNormal"/> unless set.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>Scale for the default initializer when it is <see cref="Initializer.Gaussian"/> or <see cref="Initializer.Constant"/>; 0.01 unless set.</summary>
    public double InitializerScale { get; set; } = 0.01;
}

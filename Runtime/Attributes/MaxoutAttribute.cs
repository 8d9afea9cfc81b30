namespace ModelCompiler;

/// <summary>
/// Maxout: the previous layer produces <see cref="Pieces"/> times the channels (or units), and this layer keeps the
/// maximum of each group of <see cref="Pieces"/> consecutive channels. The channel count must be a multiple of
/// <see cref="Pieces"/>. The gradient goes to the first maximum of each group.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxoutAttribute : Attribute
{
    /// <summary>Channels (or units) per group; at least 2.</summary>
    public int Pieces { get; set; }
}

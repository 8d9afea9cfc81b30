namespace ModelCompiler.Generator.Model
{
    /// <summary>
    /// A valid model declaration as the emitter needs it.
    /// </summary>
    /// <remarks>
    /// Pipeline contract: this record and everything in it is plain, structurally equatable data
    /// (strings, numbers, enums, <see cref="EquatableArray{T}"/>). It contains no symbol, syntax node,
    /// location or compilation, so an edit that leaves the declaration's meaning alone, such as moving
    /// it down a line, yields an equal record and the cached source is reused.
    /// </remarks>
    internal sealed record ModelSpec(
        string? Namespace,
        string ClassName,
        EquatableArray<ContainingTypeSpec> ContainingTypes,
        int Channels,
        int Height,
        int Width,
        EquatableArray<LayerSpec> Layers);
}

using System;

namespace ModelCompiler.Generator.Model
{
    /// <summary>
    /// One declared layer as plain numbers. <see cref="Units"/> is the filter count of a convolution
    /// and the output count of a dense layer; fields a kind does not use are zero.
    /// </summary>
    internal sealed record LayerSpec(LayerKind Kind, int Units, int Size, int Stride, int Padding);
}

namespace ModelCompiler;

/// <summary>
/// A declared network as plain data: the input shape of one example (NCHW without the batch) and the
/// layers in order. Generated models expose theirs as a static <c>Description</c> property.
/// </summary>
public sealed record ModelDescription(int Channels, int Height, int Width, IReadOnlyList<LayerDescription> Layers)
{
    /// <summary>Number of values in one input example: channels x height x width.</summary>
    public int InputSize => Channels * Height * Width;
}

namespace ModelCompiler.Reference;

/// <summary>
/// The shape of one example's tensor without the batch dimension: channels, height and width, stored
/// in that order (NCHW), so a dense layer's output is <c>Units x 1 x 1</c>.
/// </summary>
/// <param name="Channels">Number of channels.</param>
/// <param name="Height">Number of rows.</param>
/// <param name="Width">Number of columns.</param>
public readonly record struct ReferenceShape(int Channels, int Height, int Width)
{
    /// <summary>Number of values in one example: channels x height x width.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Returns the flat index of an element within one example, in channel, row, column order.</summary>
    public int IndexOf(int channel, int row, int column) => ((channel * Height) + row) * Width + column;

    /// <summary>Formats the shape as <c>CxHxW</c>, for example <c>8x28x28</c>.</summary>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}

namespace ModelCompiler.Data;

/// <summary>
/// Unsigned-byte images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> x
/// <see cref="Columns"/> pixels, stored image after image and row-major within an image.
/// </summary>
public sealed class IdxImages
{
    /// <summary>Wraps <paramref name="pixels"/> without copying it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">The pixel count is not <paramref name="count"/> x <paramref name="rows"/> x <paramref name="columns"/>.</exception>
    public IdxImages(int count, int rows, int columns, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentNullException.ThrowIfNull(pixels);

        long expectedLength = (long)count * rows * columns;
        if (pixels.Length != expectedLength)
        {
            throw new ArgumentException(
                $"pixels has {pixels.Length} bytes; expected {expectedLength} ({count} images of {rows}x{columns}).",
                nameof(pixels));
        }

        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Height of each image in pixels.</summary>
    public int Rows { get; }

    /// <summary>Width of each image in pixels.</summary>
    public int Columns { get; }

    /// <summary>Number of pixels in one image, <see cref="Rows"/> x <see cref="Columns"/>.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All pixels, <see cref="Count"/> x <see cref="Rows"/> x <see cref="Columns"/> bytes, 0 to 255.</summary>
    public byte[] Pixels { get; }
}

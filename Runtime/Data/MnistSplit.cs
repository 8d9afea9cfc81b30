namespace ModelCompiler.Data;

/// <summary>
/// One split (training or test) of an MNIST-format dataset: single-channel images as float pixel values in
/// [0, 1], laid out NCHW with one channel, and their class labels.
/// </summary>
public sealed class MnistSplit
{
    /// <summary>Wraps <paramref name="images"/> and <paramref name="labels"/> without copying them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">An array length does not match the dimensions.</exception>
    public MnistSplit(int count, int height, int width, float[] images, int[] labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);

        long expectedImageLength = (long)count * height * width;
        if (images.Length != expectedImageLength)
        {
            throw new ArgumentException(
                $"images has {images.Length} values; expected {expectedImageLength} ({count} images of {height}x{width}).",
                nameof(images));
        }

        if (labels.Length != count)
        {
            throw new ArgumentException($"labels has {labels.Length} values; expected {count}.", nameof(labels));
        }

        Count = count;
        Height = height;
        Width = width;
        Images = images;
        Labels = labels;
    }

    /// <summary>Number of examples.</summary>
    public int Count { get; }

    /// <summary>Number of channels per image, always 1.</summary>
    public int Channels => 1;

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Number of values in one image, <see cref="Height"/> x <see cref="Width"/>.</summary>
    public int ImageSize => Height * Width;

    /// <summary>
    /// Pixel values, <see cref="Count"/> x 1 x <see cref="Height"/> x <see cref="Width"/>. The loader scales the
    /// stored bytes by 1/255 into [0, 1], as torchvision's <c>ToTensor</c> does. Normalization may later change
    /// them in place.
    /// </summary>
    public float[] Images { get; }

    /// <summary>Class index of each image.</summary>
    public int[] Labels { get; }
}

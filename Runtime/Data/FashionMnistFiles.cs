namespace ModelCompiler.Data;

/// <summary>
/// Loads Fashion-MNIST from the four IDX files of its distribution. MNIST uses the same file names and format,
/// so its files load the same way.
/// </summary>
public static class FashionMnistFiles
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the gzip-compressed files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Number of classes; every label is below this.</summary>
    public const int ClassCount = 10;

    /// <summary>Base name of the training images file, which may also end in <c>.gz</c>.</summary>
    public const string TrainImagesFileName = "train-images-idx3-ubyte";

    /// <summary>Base name of the training labels file, which may also end in <c>.gz</c>.</summary>
    public const string TrainLabelsFileName = "train-labels-idx1-ubyte";

    /// <summary>Base name of the test images file, which may also end in <c>.gz</c>.</summary>
    public const string TestImagesFileName = "t10k-images-idx3-ubyte";

    /// <summary>Base name of the test labels file, which may also end in <c>.gz</c>.</summary>
    public const string TestLabelsFileName = "t10k-labels-idx1-ubyte";

    /// <summary>
    /// Loads the training and test splits from <paramref name="directory"/>, with pixel values scaled to [0, 1].
    /// </summary>
    /// <remarks>
    /// Each file is looked up by its base name and then with <c>.gz</c> appended, so the uncompressed file is
    /// used when both exist. Whether a file is compressed is detected from its content, not from its name.
    /// </remarks>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">One or more files are missing; the message lists every one.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is not valid IDX, image and label counts differ, a label is 10 or more, or training and test
    /// images differ in size.
    /// </exception>
    public static MnistDataset Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Fashion-MNIST directory not found: '{directory}'. On Debian, the package dataset-fashion-mnist " +
                $"installs the files in {DebianDirectory}.");
        }

        string[] baseNames = [TrainImagesFileName, TrainLabelsFileName, TestImagesFileName, TestLabelsFileName];
        string?[] paths = baseNames.Select(baseName => FindFile(directory, baseName)).ToArray();
        string[] missing = baseNames.Where((_, i) => paths[i] is null).ToArray();
        if (missing.Length > 0)
        {
            string lookedFor = string.Join(", ", missing.Select(baseName => $"{baseName} or {baseName}.gz"));
            throw new FileNotFoundException(
                $"Fashion-MNIST files not found in '{directory}': looked for {lookedFor}. On Debian, the package " +
                $"dataset-fashion-mnist installs them in {DebianDirectory}.",
                Path.Combine(directory, missing[0]));
        }

        MnistSplit train = LoadSplit(paths[0]!, paths[1]!);
        MnistSplit test = LoadSplit(paths[2]!, paths[3]!);
        if (train.Height != test.Height || train.Width != test.Width)
        {
            throw new InvalidDataException(
                $"Training images in '{paths[0]}' are {train.Height}x{train.Width} but test images in '{paths[2]}' " +
                $"are {test.Height}x{test.Width}; expected the same size.");
        }

        return new MnistDataset(train, test);
    }

    private static string? FindFile(string directory, string baseName)
    {
        string uncompressed = Path.Combine(directory, baseName);
        if (File.Exists(uncompressed))
        {
            return uncompressed;
        }

        string compressed = uncompressed + ".gz";
        return File.Exists(compressed) ? compressed : null;
    }

    private static MnistSplit LoadSplit(string imagesPath, string labelsPath)
    {
        IdxImages images = IdxReader.ReadImages(imagesPath);
        byte[] labelBytes = IdxReader.ReadLabels(labelsPath);
        if (images.Count != labelBytes.Length)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' contains {images.Count} images but '{labelsPath}' contains {labelBytes.Length} " +
                "labels; expected one label per image.");
        }

        var labels = new int[labelBytes.Length];
        for (int i = 0; i < labelBytes.Length; i++)
        {
            if (labelBytes[i] >= ClassCount)
            {
                throw new InvalidDataException(
                    $"'{labelsPath}': label {i} is {labelBytes[i]}; expected a class index from 0 to {ClassCount - 1}.");
            }

            labels[i] = labelBytes[i];
        }

        byte[] pixels = images.Pixels;
        var values = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            values[i] = pixels[i] / 255f;
        }

        return new MnistSplit(images.Count, images.Rows, images.Columns, values, labels);
    }
}

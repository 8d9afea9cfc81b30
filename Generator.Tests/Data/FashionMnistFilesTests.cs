using ModelCompiler.Data;
using Xunit;
using static ModelCompiler.Tests.Data.IdxTestFiles;

namespace ModelCompiler.Tests.Data;

public class FashionMnistFilesTests
{
    [FashionMnistFact]
    public void InstalledDebianFilesLoad()
    {
        MnistDataset dataset = FashionMnistFiles.Load(FashionMnistFiles.DebianDirectory);

        Assert.Equal(60000, dataset.Train.Count);
        Assert.Equal(10000, dataset.Test.Count);
        foreach (MnistSplit split in new[] { dataset.Train, dataset.Test })
        {
            Assert.Equal(1, split.Channels);
            Assert.Equal(28, split.Height);
            Assert.Equal(28, split.Width);
            Assert.Equal(split.Count * 28 * 28, split.Images.Length);
            Assert.Equal(0f, split.Images.Min());
            Assert.Equal(1f, split.Images.Max());

            // Fashion-MNIST has the same number of examples in every class.
            int[] perClass = new int[10];
            foreach (int label in split.Labels)
            {
                perClass[label]++;
            }

            Assert.All(perClass, n => Assert.Equal(split.Count / 10, n));
        }

        // Mean and standard deviation of all training pixels, measured once and rounded to 4 decimals.
        ChannelStatistics statistics = Normalization.Compute(dataset.Train.Images, dataset.Train.Count, 1, 28, 28);
        Assert.Equal(0.2860, statistics.Means[0], 0.0001);
        Assert.Equal(0.3530, statistics.StandardDeviations[0], 0.0001);
    }

    [Fact]
    public void SmallDirectoryLoadsMixedCompression()
    {
        using var directory = new TempDirectory();
        directory.Write("train-images-idx3-ubyte.gz", GzipCompress(BuildImageFile(2, 2, 3, [0, 51, 102, 153, 204, 255, 1, 2, 3, 4, 5, 6])));
        directory.Write("train-labels-idx1-ubyte", BuildLabelFile([9, 0]));
        directory.Write("t10k-images-idx3-ubyte", BuildImageFile(1, 2, 3, [255, 0, 0, 0, 0, 255]));
        directory.Write("t10k-labels-idx1-ubyte.gz", GzipCompress(BuildLabelFile([4])));

        MnistDataset dataset = FashionMnistFiles.Load(directory.Path);

        Assert.Equal(2, dataset.Train.Count);
        Assert.Equal(2, dataset.Train.Height);
        Assert.Equal(3, dataset.Train.Width);
        Assert.Equal([0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f], dataset.Train.Images[..6]);
        Assert.Equal(6f / 255f, dataset.Train.Images[11]);
        Assert.Equal([9, 0], dataset.Train.Labels);
        Assert.Equal(1, dataset.Test.Count);
        Assert.Equal([1f, 0f, 0f, 0f, 0f, 1f], dataset.Test.Images);
        Assert.Equal([4], dataset.Test.Labels);
    }

    [Fact]
    public void MissingFilesListed()
    {
        using var directory = new TempDirectory();
        directory.Write("train-images-idx3-ubyte.gz", GzipCompress(BuildImageFile(1, 1, 1, [0])));
        directory.Write("t10k-labels-idx1-ubyte", BuildLabelFile([0]));

        var exception = Assert.Throws<FileNotFoundException>(() => FashionMnistFiles.Load(directory.Path));

        Assert.Contains(directory.Path, exception.Message);
        Assert.Contains("train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz", exception.Message);
        Assert.Contains("t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz", exception.Message);
        Assert.DoesNotContain("train-images", exception.Message);
        Assert.DoesNotContain("t10k-labels", exception.Message);
        Assert.Contains("dataset-fashion-mnist", exception.Message);
    }

    [Fact]
    public void MissingDirectoryRejected()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mnist-test-missing-{Guid.NewGuid():N}");

        var exception = Assert.Throws<DirectoryNotFoundException>(() => FashionMnistFiles.Load(path));

        Assert.Contains(path, exception.Message);
    }

    [Fact]
    public void CountMismatchRejected()
    {
        using var directory = new TempDirectory();
        directory.Write("train-images-idx3-ubyte", BuildImageFile(3, 1, 1, [0, 1, 2]));
        directory.Write("train-labels-idx1-ubyte", BuildLabelFile([0, 1]));
        directory.Write("t10k-images-idx3-ubyte", BuildImageFile(1, 1, 1, [0]));
        directory.Write("t10k-labels-idx1-ubyte", BuildLabelFile([0]));

        var exception = Assert.Throws<InvalidDataException>(() => FashionMnistFiles.Load(directory.Path));

        Assert.Contains("train-images-idx3-ubyte' contains 3 images", exception.Message);
        Assert.Contains("train-labels-idx1-ubyte' contains 2 labels", exception.Message);
    }

    [Fact]
    public void LabelOfTenRejected()
    {
        using var directory = new TempDirectory();
        directory.Write("train-images-idx3-ubyte", BuildImageFile(1, 1, 1, [0]));
        directory.Write("train-labels-idx1-ubyte", BuildLabelFile([0]));
        directory.Write("t10k-images-idx3-ubyte", BuildImageFile(3, 1, 1, [0, 1, 2]));
        directory.Write("t10k-labels-idx1-ubyte", BuildLabelFile([9, 2, 10]));

        var exception = Assert.Throws<InvalidDataException>(() => FashionMnistFiles.Load(directory.Path));

        Assert.Contains("t10k-labels-idx1-ubyte", exception.Message);
        Assert.Contains("label 2 is 10", exception.Message);
        Assert.Contains("from 0 to 9", exception.Message);
    }

    [Fact]
    public void ImageSizeMismatchRejected()
    {
        using var directory = new TempDirectory();
        directory.Write("train-images-idx3-ubyte", BuildImageFile(1, 2, 2, [0, 1, 2, 3]));
        directory.Write("train-labels-idx1-ubyte", BuildLabelFile([0]));
        directory.Write("t10k-images-idx3-ubyte", BuildImageFile(1, 1, 4, [0, 1, 2, 3]));
        directory.Write("t10k-labels-idx1-ubyte", BuildLabelFile([0]));

        var exception = Assert.Throws<InvalidDataException>(() => FashionMnistFiles.Load(directory.Path));

        Assert.Contains("are 2x2", exception.Message);
        Assert.Contains("are 1x4", exception.Message);
    }
}

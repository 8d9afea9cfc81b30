using ModelCompiler.Data;
using Xunit;
using static ModelCompiler.Tests.Data.IdxTestFiles;

namespace ModelCompiler.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImagesRoundTrip(bool compressed)
    {
        byte[] pixels = CreateCountingBytes(3 * 4 * 5);
        byte[] content = BuildImageFile(3, 4, 5, pixels);
        using var file = new TempFile(compressed ? GzipCompress(content) : content);

        IdxImages images = IdxReader.ReadImages(file.Path);

        Assert.Equal(3, images.Count);
        Assert.Equal(4, images.Rows);
        Assert.Equal(5, images.Columns);
        Assert.Equal(20, images.PixelsPerImage);
        Assert.Equal(pixels, images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LabelsRoundTrip(bool compressed)
    {
        byte[] labels = [9, 0, 3, 255, 7];
        byte[] content = BuildLabelFile(labels);
        using var file = new TempFile(compressed ? GzipCompress(content) : content);

        Assert.Equal(labels, IdxReader.ReadLabels(file.Path));
    }

    [Fact]
    public void GzipDetectedByContentNotName()
    {
        byte[] labels = [1, 2, 3];
        using var compressedWithoutSuffix = new TempFile(GzipCompress(BuildLabelFile(labels)), suffix: "");
        using var plainWithGzSuffix = new TempFile(BuildLabelFile(labels), suffix: ".gz");

        Assert.Equal(labels, IdxReader.ReadLabels(compressedWithoutSuffix.Path));
        Assert.Equal(labels, IdxReader.ReadLabels(plainWithGzSuffix.Path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NonSeekableStreamReads(bool compressed)
    {
        byte[] pixels = CreateCountingBytes(2 * 3 * 3);
        byte[] content = BuildImageFile(2, 3, 3, pixels);
        using var stream = new NonSeekableStream(compressed ? GzipCompress(content) : content);

        IdxImages images = IdxReader.ReadImages(stream, "pipe");

        Assert.Equal(pixels, images.Pixels);
    }

    [Fact]
    public void StreamAtOffsetReadsFromThere()
    {
        byte[] labels = [4, 5, 6];
        using var stream = new MemoryStream([0xAA, 0xBB, .. BuildLabelFile(labels)]);
        stream.Position = 2;

        Assert.Equal(labels, IdxReader.ReadLabels(stream, "offset"));
    }

    [Fact]
    public void MissingFileThrowsFileNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), $"idx-test-missing-{Guid.NewGuid():N}");

        var exception = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, exception.FileName);
        Assert.Contains(path, exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(15)]
    public void TruncatedImageHeaderRejected(int length)
    {
        byte[] content = BuildImageFile(1, 1, 1, [0])[..length];
        using var file = new TempFile(content);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("header is truncated", exception.Message);
        Assert.Contains($"expected 16 bytes, found {length}", exception.Message);
    }

    [Fact]
    public void TruncatedLabelHeaderRejected()
    {
        using var stream = new MemoryStream(BuildLabelFile([1, 2])[..6]);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(stream, "short.idx"));

        Assert.Contains("'short.idx'", exception.Message);
        Assert.Contains("expected 8 bytes, found 6", exception.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedImageDataRejected(bool compressed)
    {
        byte[] content = BuildImageFile(3, 2, 2, CreateCountingBytes(12))[..(16 + 5)];
        using var file = new TempFile(compressed ? GzipCompress(content) : content);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("image data is truncated", exception.Message);
        Assert.Contains("3 images of 2x2 pixels (12 bytes)", exception.Message);
        Assert.Contains("only 5 bytes follow the header", exception.Message);
        Assert.Equal(compressed, exception.Message.Contains("after gzip decompression"));
    }

    [Fact]
    public void TruncatedLabelDataRejected()
    {
        byte[] content = BuildLabelFile([1, 2, 3, 4])[..(8 + 1)];
        using var file = new TempFile(content);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("4 labels (4 bytes)", exception.Message);
        Assert.Contains("only 1 byte follows the header", exception.Message);
    }

    [Fact]
    public void GzipCutShortRejected()
    {
        byte[] compressed = GzipCompress(BuildImageFile(50, 28, 28, CreateCountingBytes(50 * 28 * 28)));
        using var file = new TempFile(compressed[..(compressed.Length / 2)]);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("image data is truncated", exception.Message);
        Assert.Contains("after gzip decompression", exception.Message);
    }

    [Fact]
    public void WrongMagicRejected()
    {
        byte[] content = [.. BuildHeader(0x00000D03, 1, 1, 1), 0, 0, 0, 0];
        using var file = new TempFile(content);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("magic number is 0x00000D03 (32-bit floats, 3 dimensions)", exception.Message);
        Assert.Contains("expected 0x00000803 (unsigned bytes, 3 dimensions)", exception.Message);
        Assert.DoesNotContain("looks like", exception.Message);
    }

    [Fact]
    public void NonIdxContentRejected()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0];
        using var stream = new MemoryStream(png);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(stream, "picture.png"));

        Assert.Contains("'picture.png'", exception.Message);
        Assert.Contains("0x89504E47", exception.Message);
        Assert.Contains("not an IDX header", exception.Message);
    }

    [Fact]
    public void LabelFileAsImagesRejected()
    {
        using var file = new TempFile(GzipCompress(BuildLabelFile([1, 2, 3])));

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("magic number is 0x00000801", exception.Message);
        Assert.Contains("expected 0x00000803", exception.Message);
        Assert.Contains("looks like a label file", exception.Message);
        Assert.Contains("ReadLabels", exception.Message);
    }

    [Fact]
    public void ImageFileAsLabelsRejected()
    {
        using var file = new TempFile(BuildImageFile(1, 2, 2, CreateCountingBytes(4)));

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("magic number is 0x00000803", exception.Message);
        Assert.Contains("expected 0x00000801", exception.Message);
        Assert.Contains("looks like an image file", exception.Message);
        Assert.Contains("ReadImages", exception.Message);
    }

    [Fact]
    public void CorruptDeflateBlockRejected()
    {
        byte[] compressed = GzipCompress(BuildLabelFile(CreateCountingBytes(1000)));

        // The first byte after the 10-byte gzip header starts a deflate block; block type 3 is reserved and invalid.
        compressed[10] |= 0b110;
        using var file = new TempFile(compressed);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("gzip stream is corrupt", exception.Message);
    }

    [Fact]
    public void GzipChecksumMismatchRejected()
    {
        byte[] compressed = GzipCompress(BuildLabelFile(CreateCountingBytes(1000)));

        // The gzip trailer is the CRC-32 of the decompressed data followed by its length.
        compressed[^8] ^= 0xFF;
        using var file = new TempFile(compressed);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("gzip stream is corrupt", exception.Message);
    }

    [Theory]
    [InlineData(0, 28, 28, "image count of 0")]
    [InlineData(10, 0, 28, "row count of 0")]
    [InlineData(10, 28, -1, "column count of -1")]
    [InlineData(int.MinValue, 28, 28, "image count of -2147483648")]
    public void NonPositiveDimensionRejected(int count, int rows, int columns, string fact)
    {
        using var file = new TempFile(BuildHeader(0x00000803, count, rows, columns));

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains(fact, exception.Message);
        Assert.Contains("expected a positive number", exception.Message);
    }

    [Fact]
    public void ZeroLabelCountRejected()
    {
        using var stream = new MemoryStream(BuildHeader(0x00000801, 0));

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(stream, "empty-labels"));

        Assert.Contains("label count of 0", exception.Message);
    }

    [Fact]
    public void OversizedDeclarationRejected()
    {
        using var file = new TempFile(GzipCompress(BuildHeader(0x00000803, int.MaxValue, 65536, 65536)));

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("2147483647 images of 65536x65536 pixels", exception.Message);
        Assert.Contains("more than the largest array", exception.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LargeDeclarationWithoutDataRejected(bool compressed)
    {
        // 2 GB minus a little fits in an array, so only the missing data can reveal the problem.
        byte[] content = [.. BuildHeader(0x00000803, 2_000_000_000, 1, 1), 1, 2, 3];
        using var file = new TempFile(compressed ? GzipCompress(content) : content);

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Contains("(2000000000 bytes)", exception.Message);
        Assert.Contains("only 3 bytes follow the header", exception.Message);
        Assert.True(allocated < 16 << 20, $"Reading allocated {allocated} bytes for a 3-byte body.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrailingBytesRejected(bool compressed)
    {
        byte[] content = [.. BuildImageFile(2, 2, 2, CreateCountingBytes(8)), 7, 7, 7];
        using var file = new TempFile(compressed ? GzipCompress(content) : content);

        var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(file.Path));

        Assert.Contains(file.Path, exception.Message);
        Assert.Contains("3 bytes follow the 8 bytes of image data", exception.Message);
    }

    [Fact]
    public void DirectoryPathIsRejectedAsDirectory()
    {
        string directory = Directory.CreateTempSubdirectory("idx-directory-").FullName;
        try
        {
            var exception = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(directory));

            Assert.Contains("is a directory, not an IDX file", exception.Message);
            Assert.Contains(directory, exception.Message);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }
}

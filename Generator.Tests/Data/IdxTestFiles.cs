using System.Buffers.Binary;
using System.IO.Compression;

namespace ModelCompiler.Tests.Data;

/// <summary>Builders for small IDX files and temporary files and folders that delete themselves.</summary>
internal static class IdxTestFiles
{
    public static byte[] BuildHeader(int magic, params int[] dimensions)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dimensions[i]);
        }

        return header;
    }

    public static byte[] BuildImageFile(int count, int rows, int columns, byte[] pixels) =>
        [.. BuildHeader(0x00000803, count, rows, columns), .. pixels];

    public static byte[] BuildLabelFile(byte[] labels) => [.. BuildHeader(0x00000801, labels.Length), .. labels];

    public static byte[] GzipCompress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Pixels 0, 1, 2, ... wrapping at 256, so that every position is distinguishable.</summary>
    public static byte[] CreateCountingBytes(int length) => Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
}

/// <summary>A file under the temporary folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(byte[] content, string suffix = ".idx")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"idx-test-{Guid.NewGuid():N}{suffix}");
        File.WriteAllBytes(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}

/// <summary>A folder under the temporary folder, deleted with its content on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mnist-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Write(string fileName, byte[] content) => File.WriteAllBytes(System.IO.Path.Combine(Path, fileName), content);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>A read-only stream that cannot seek, like a network or pipe stream.</summary>
internal sealed class NonSeekableStream(byte[] content) : Stream
{
    private readonly MemoryStream _inner = new(content);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

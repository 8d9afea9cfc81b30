using System.IO.Compression;

namespace ModelCompiler.Data;

/// <summary>
/// The bytes of an IDX file, decompressed when the stream starts with the gzip signature 0x1f 0x8b. Decoding
/// errors of the gzip layer become <see cref="InvalidDataException"/>s that name the file.
/// </summary>
internal sealed class IdxSource : IDisposable
{
    private readonly Stream _content;
    private readonly Stream? _ownedStream;

    private IdxSource(Stream content, Stream? ownedStream, string name, bool isCompressed)
    {
        _content = content;
        _ownedStream = ownedStream;
        Name = name;
        IsCompressed = isCompressed;
    }

    /// <summary>File name or description used in error messages.</summary>
    public string Name { get; }

    /// <summary>Whether the input is gzip-compressed.</summary>
    public bool IsCompressed { get; }

    /// <summary>Bytes not yet read from an uncompressed input, or null for a gzip stream, whose length is unknown.</summary>
    public long? RemainingLength => IsCompressed ? null : _content.Length - _content.Position;

    /// <summary>
    /// Checks the first two bytes of <paramref name="stream"/> for the gzip signature and returns a source
    /// positioned at the start of the IDX data. The caller keeps ownership of <paramref name="stream"/>.
    /// </summary>
    /// <remarks>
    /// A stream that cannot seek is first copied to memory, because the signature check reads two bytes that
    /// must then be read again.
    /// </remarks>
    public static IdxSource Open(Stream stream, string name)
    {
        Span<byte> signature = stackalloc byte[2];
        int signatureLength = stream.ReadAtLeast(signature, signature.Length, throwOnEndOfStream: false);
        bool isCompressed = signatureLength == 2 && signature[0] == 0x1f && signature[1] == 0x8b;

        Stream? ownedStream = null;
        if (stream.CanSeek)
        {
            stream.Seek(-signatureLength, SeekOrigin.Current);
        }
        else
        {
            var copy = new MemoryStream();
            copy.Write(signature[..signatureLength]);
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
            ownedStream = copy;
        }

        if (isCompressed)
        {
            var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            return new IdxSource(gzip, ownedStream, name, isCompressed: true);
        }

        return new IdxSource(stream, ownedStream, name, isCompressed: false);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the data ends, and returns the bytes read.</summary>
    public int ReadAtMost(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>Reads some bytes into <paramref name="buffer"/>, returning 0 at the end of the data.</summary>
    public int Read(Span<byte> buffer)
    {
        try
        {
            return _content.Read(buffer);
        }
        catch (InvalidDataException exception) when (IsCompressed)
        {
            throw new InvalidDataException(
                $"Invalid IDX file '{Name}': the gzip stream is corrupt ({exception.Message}).",
                exception);
        }
    }

    /// <summary>Reads to the end of the data and returns the number of bytes that were left.</summary>
    public long CountRemainingBytes()
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int read;
        while ((read = Read(scratch)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Disposes the decompressor and any in-memory copy, but not the caller's stream.</summary>
    public void Dispose()
    {
        if (IsCompressed)
        {
            _content.Dispose();
        }

        _ownedStream?.Dispose();
    }
}

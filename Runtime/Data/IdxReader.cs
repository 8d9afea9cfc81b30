using System.Buffers.Binary;

namespace ModelCompiler.Data;

/// <summary>
/// Reads the IDX files that MNIST and Fashion-MNIST ship in: unsigned-byte images (magic number 0x00000803,
/// dimensions count, rows, columns) and unsigned-byte labels (magic number 0x00000801, dimension count).
/// </summary>
/// <remarks>
/// The big-endian header is a 4-byte magic number, whose third byte is the element type (0x08 for unsigned
/// bytes) and whose fourth byte is the number of dimensions, followed by each dimension as a 4-byte signed
/// integer. The elements follow the header. Input that starts with the gzip signature 0x1f 0x8b is decompressed
/// first, whatever the file name. Bytes after the declared data are rejected, because they mean that the header
/// and the data disagree. Every format error is an <see cref="InvalidDataException"/> whose message names the
/// file and the problem.
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte IDX file with 3 dimensions, as used for images.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte IDX file with 1 dimension, as used for labels.</summary>
    public const int LabelsMagic = 0x00000801;

    private const int MinimumReadChunk = 1 << 20;

    /// <summary>Reads an image file, gzip-compressed or not.</summary>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX image file.</exception>
    public static IdxImages ReadImages(string path)
    {
        using FileStream stream = OpenFile(path);
        return ReadImages(stream, path);
    }

    /// <summary>
    /// Reads an image file from <paramref name="stream"/>, gzip-compressed or not, to the end of the stream.
    /// The caller keeps ownership of the stream.
    /// </summary>
    /// <param name="stream">
    /// The input, positioned at the start of the IDX data or of its gzip stream. A stream that cannot seek is
    /// copied to memory first, because the gzip check reads ahead.
    /// </param>
    /// <param name="name">File name or description to use in error messages.</param>
    /// <exception cref="InvalidDataException">The data is not a valid IDX image file.</exception>
    public static IdxImages ReadImages(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);

        using IdxSource source = IdxSource.Open(stream, name);
        Span<int> dimensions = stackalloc int[3];
        ReadHeader(source, ImagesMagic, "image", dimensions, ["image count", "row count", "column count"]);

        int count = dimensions[0];
        int rows = dimensions[1];
        int columns = dimensions[2];
        string declaration = $"{count} images of {rows}x{columns} pixels";
        byte[] pixels = ReadData(source, "image", declaration, (Int128)count * rows * columns);
        return new IdxImages(count, rows, columns, pixels);
    }

    /// <summary>Reads a label file, gzip-compressed or not, and returns one byte per label.</summary>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX label file.</exception>
    public static byte[] ReadLabels(string path)
    {
        using FileStream stream = OpenFile(path);
        return ReadLabels(stream, path);
    }

    /// <summary>
    /// Reads a label file from <paramref name="stream"/>, gzip-compressed or not, to the end of the stream, and
    /// returns one byte per label. The caller keeps ownership of the stream.
    /// </summary>
    /// <param name="stream">
    /// The input, positioned at the start of the IDX data or of its gzip stream. A stream that cannot seek is
    /// copied to memory first, because the gzip check reads ahead.
    /// </param>
    /// <param name="name">File name or description to use in error messages.</param>
    /// <exception cref="InvalidDataException">The data is not a valid IDX label file.</exception>
    public static byte[] ReadLabels(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);

        using IdxSource source = IdxSource.Open(stream, name);
        Span<int> dimensions = stackalloc int[1];
        ReadHeader(source, LabelsMagic, "label", dimensions, ["label count"]);

        int count = dimensions[0];
        return ReadData(source, "label", $"{count} labels", count);
    }

    /// <summary>Formats a byte count with its verb, as "1 byte follows" or "5 bytes follow".</summary>
    private static string BytesFollow(long count) => count == 1 ? "1 byte follows" : $"{count} bytes follow";

    private static FileStream OpenFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new InvalidDataException($"'{path}' is a directory, not an IDX file; pass the path of the file itself.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file not found: '{path}'.", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
    }

    // Reads and checks the magic number and the dimensions, each of which must be positive.
    private static void ReadHeader(
        IdxSource source,
        int expectedMagic,
        string kind,
        Span<int> dimensions,
        ReadOnlySpan<string> dimensionNames)
    {
        int headerLength = 4 + 4 * dimensions.Length;
        Span<byte> header = stackalloc byte[headerLength];

        int found = source.ReadAtMost(header[..4]);
        if (found < 4)
        {
            throw CreateInvalidDataException(source, kind, $"the header is truncated: expected {headerLength} bytes, found {found}.");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            throw CreateInvalidDataException(source, kind, DescribeWrongMagic(magic, expectedMagic));
        }

        found += source.ReadAtMost(header[4..]);
        if (found < headerLength)
        {
            throw CreateInvalidDataException(source, kind, $"the header is truncated: expected {headerLength} bytes, found {found}.");
        }

        for (int i = 0; i < dimensions.Length; i++)
        {
            int dimension = BinaryPrimitives.ReadInt32BigEndian(header[(4 + 4 * i)..]);
            if (dimension <= 0)
            {
                throw CreateInvalidDataException(source, kind, $"the header declares a {dimensionNames[i]} of {dimension}; expected a positive number.");
            }

            dimensions[i] = dimension;
        }
    }

    // Reads exactly the declared number of bytes and checks that nothing follows them.
    private static byte[] ReadData(IdxSource source, string kind, string declaration, Int128 declaredLength)
    {
        if (declaredLength > Array.MaxLength)
        {
            throw CreateInvalidDataException(
                source,
                kind,
                $"the header declares {declaration} ({declaredLength} bytes), more than the largest array " +
                $".NET can allocate ({Array.MaxLength} bytes).");
        }

        int length = (int)declaredLength;
        string afterDecompression = source.IsCompressed ? " after gzip decompression" : "";

        // An uncompressed input reveals its length, so a truncated file fails before the allocation.
        if (source.RemainingLength is long remaining && remaining < length)
        {
            throw CreateInvalidDataException(
                source,
                kind,
                $"the {kind} data is truncated: the header declares {declaration} ({length} bytes), " +
                $"but only {BytesFollow(remaining)} the header.");
        }

        // A gzip stream does not reveal its decompressed length, so the buffer grows as data arrives. A corrupt
        // header that declares gigabytes then costs memory in proportion to the data actually present.
        byte[] data = new byte[source.RemainingLength is null ? Math.Min(length, MinimumReadChunk) : length];
        int filled = 0;
        while (filled < length)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(Math.Max(2L * data.Length, MinimumReadChunk), length));
            }

            int read = source.Read(data.AsSpan(filled));
            if (read == 0)
            {
                throw CreateInvalidDataException(
                    source,
                    kind,
                    $"the {kind} data is truncated: the header declares {declaration} ({length} bytes), " +
                    $"but only {BytesFollow(filled)} the header{afterDecompression}.");
            }

            filled += read;
        }

        long trailing = source.CountRemainingBytes();
        if (trailing > 0)
        {
            throw CreateInvalidDataException(
                source,
                kind,
                $"{BytesFollow(trailing)} the {length} bytes of {kind} data that the header declares " +
                $"({declaration}){afterDecompression}; expected the data to end there.");
        }

        return data;
    }

    private static string DescribeWrongMagic(int magic, int expectedMagic)
    {
        string message =
            $"the magic number is 0x{magic:X8} ({DescribeMagic(magic)}); " +
            $"expected 0x{expectedMagic:X8} ({DescribeMagic(expectedMagic)}).";

        if (expectedMagic == ImagesMagic && magic == LabelsMagic)
        {
            message += " This looks like a label file; read it with IdxReader.ReadLabels.";
        }
        else if (expectedMagic == LabelsMagic && magic == ImagesMagic)
        {
            message += " This looks like an image file; read it with IdxReader.ReadImages.";
        }

        return message;
    }

    private static string DescribeMagic(int magic)
    {
        if ((magic & unchecked((int)0xFFFF0000)) != 0)
        {
            return "not an IDX header, whose first two bytes are zero";
        }

        int typeCode = (magic >> 8) & 0xFF;
        int dimensionCount = magic & 0xFF;
        string elementType = typeCode switch
        {
            0x08 => "unsigned bytes",
            0x09 => "signed bytes",
            0x0B => "16-bit integers",
            0x0C => "32-bit integers",
            0x0D => "32-bit floats",
            0x0E => "64-bit floats",
            _ => $"unknown element type 0x{typeCode:X2}",
        };
        string dimensions = dimensionCount == 1 ? "1 dimension" : $"{dimensionCount} dimensions";
        return $"{elementType}, {dimensions}";
    }

    private static InvalidDataException CreateInvalidDataException(IdxSource source, string kind, string problem) =>
        new($"Invalid IDX {kind} file '{source.Name}': {problem}");
}

namespace ModelCompiler.Kernels;

/// <summary>
/// The im2col transform and its adjoint as loops over the kernel taps, for convolutions whose kernels have more taps
/// than generated code unrolls. Row (c, ky, kx) of the columns matrix contains input channel c at row
/// oy*strideHeight + ky*dilationHeight - paddingHeight and column ox*strideWidth + kx*dilationWidth - paddingWidth,
/// for every output position (oy, ox); Positions that fall on padding are zero.
/// </summary>
public static class Im2Col
{
    /// <summary>Fills <paramref name="columns"/> [channels*kernelHeight*kernelWidth x outputHeight*outputWidth] from one image.</summary>
    /// <param name="image">channels x height x width values.</param>
    /// <param name="columns">Receives the im2col matrix; every entry is written.</param>
    /// <param name="geometry">Shapes of the convolution.</param>
    public static void Gather(ReadOnlySpan<float> image, Span<float> columns, in ConvolutionGeometry geometry)
    {
        geometry.Validate(image.Length, columns.Length);
        int positions = geometry.OutputHeight * geometry.OutputWidth;
        int row = 0;
        for (int c = 0; c < geometry.Channels; c++)
        {
            var plane = image.Slice(c * geometry.Height * geometry.Width, geometry.Height * geometry.Width);
            for (int ky = 0; ky < geometry.KernelHeight; ky++)
            {
                for (int kx = 0; kx < geometry.KernelWidth; kx++, row++)
                {
                    var target = columns.Slice(row * positions, positions);
                    for (int oy = 0; oy < geometry.OutputHeight; oy++)
                    {
                        int iy = oy * geometry.StrideHeight + ky * geometry.DilationHeight - geometry.PaddingHeight;
                        for (int ox = 0; ox < geometry.OutputWidth; ox++)
                        {
                            int ix = ox * geometry.StrideWidth + kx * geometry.DilationWidth - geometry.PaddingWidth;
                            bool inside = (uint)iy < (uint)geometry.Height && (uint)ix < (uint)geometry.Width;
                            target[oy * geometry.OutputWidth + ox] = inside ? plane[iy * geometry.Width + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Overwrites <paramref name="image"/> with the sum of the column entries copied from each of its values: the adjoint of <see cref="Gather"/>.</summary>
    /// <param name="columns">The columns matrix, such as the gradient of the im2col matrix.</param>
    /// <param name="image">Receives channels x height x width values.</param>
    /// <param name="geometry">Shapes of the convolution.</param>
    public static void Scatter(ReadOnlySpan<float> columns, Span<float> image, in ConvolutionGeometry geometry)
    {
        geometry.Validate(image.Length, columns.Length);
        image.Slice(0, geometry.Channels * geometry.Height * geometry.Width).Clear();
        int positions = geometry.OutputHeight * geometry.OutputWidth;
        int row = 0;
        for (int c = 0; c < geometry.Channels; c++)
        {
            var plane = image.Slice(c * geometry.Height * geometry.Width, geometry.Height * geometry.Width);
            for (int ky = 0; ky < geometry.KernelHeight; ky++)
            {
                for (int kx = 0; kx < geometry.KernelWidth; kx++, row++)
                {
                    var source = columns.Slice(row * positions, positions);
                    for (int oy = 0; oy < geometry.OutputHeight; oy++)
                    {
                        int iy = oy * geometry.StrideHeight + ky * geometry.DilationHeight - geometry.PaddingHeight;
                        if ((uint)iy >= (uint)geometry.Height)
                        {
                            continue;
                        }

                        for (int ox = 0; ox < geometry.OutputWidth; ox++)
                        {
                            int ix = ox * geometry.StrideWidth + kx * geometry.DilationWidth - geometry.PaddingWidth;
                            if ((uint)ix < (uint)geometry.Width)
                            {
                                plane[iy * geometry.Width + ix] += source[oy * geometry.OutputWidth + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}

/// <summary>Input, kernel, stride, padding, dilation and output sizes of a 2-D convolution, per dimension.</summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Height">Input rows.</param>
/// <param name="Width">Input columns.</param>
/// <param name="KernelHeight">Kernel rows.</param>
/// <param name="KernelWidth">Kernel columns.</param>
/// <param name="StrideHeight">Vertical step.</param>
/// <param name="StrideWidth">Horizontal step.</param>
/// <param name="PaddingHeight">Zero rows above and below.</param>
/// <param name="PaddingWidth">Zero columns left and right.</param>
/// <param name="DilationHeight">Vertical spacing of taps.</param>
/// <param name="DilationWidth">Horizontal spacing of taps.</param>
/// <param name="OutputHeight">Output rows.</param>
/// <param name="OutputWidth">Output columns.</param>
public readonly record struct ConvolutionGeometry(
    int Channels,
    int Height,
    int Width,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int PaddingHeight,
    int PaddingWidth,
    int DilationHeight,
    int DilationWidth,
    int OutputHeight,
    int OutputWidth)
{
    internal void Validate(int imageLength, int columnsLength)
    {
        long image = (long)Channels * Height * Width;
        long columns = (long)Channels * KernelHeight * KernelWidth * OutputHeight * OutputWidth;
        if (imageLength < image)
        {
            throw new ArgumentException($"The image has {imageLength} values; the geometry needs {image}.", "image");
        }

        if (columnsLength < columns)
        {
            throw new ArgumentException($"The columns matrix has {columnsLength} values; the geometry needs {columns}.", "columns");
        }
    }
}

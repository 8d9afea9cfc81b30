namespace ModelCompiler.Kernels;

/// <summary>
/// Group normalization as PyTorch's <c>GroupNorm</c> for x laid out [batchSize, channels, planeSize]: each example is
/// normalized over each group of channels / groups consecutive channels and their planes, with the biased variance,
/// then scaled by gamma[c] and shifted by beta[c] per channel. Instance normalization is groups = channels.
/// </summary>
/// <remarks>
/// Empty gamma and beta mean no affine map (InstanceNorm2d's default affine = false); the gradient spans are then
/// not used and may be empty. Statistics and the sums of the backward pass are in double, and rows are vectorized
/// (see <see cref="RowReductions"/> and <see cref="NormalizationRows"/>). y may be the same span as x, and dx the
/// same span as dy. Spans may be longer than the shape requires, and only the prefix is used.
/// </remarks>
public static unsafe class GroupNormalization
{
    /// <summary>Normalizes each group of each example and stores its mean and 1 / sqrt(variance + epsilon) for <see cref="Backward"/>.</summary>
    /// <param name="x">The input, batchSize * channels * planeSize values.</param>
    /// <param name="y">Receives the output, like x.</param>
    /// <param name="gamma">Scale per channel, or empty for none.</param>
    /// <param name="beta">Shift per channel, or empty for none; empty exactly when gamma is.</param>
    /// <param name="savedMean">Receives the mean of each group of each example, batchSize * groups values, example-major.</param>
    /// <param name="savedInverseStd">Receives 1 / sqrt(variance + epsilon) of each group of each example, like savedMean.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="channels">Number of channels, a multiple of groups.</param>
    /// <param name="groups">Number of groups, at least 1.</param>
    /// <param name="planeSize">Values per channel and example (height * width), at least 1.</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// batchSize is negative, channels, groups or planeSize is below 1, or channels is not a multiple of groups.
    /// </exception>
    /// <exception cref="ArgumentException">A span is shorter than the shape requires, or only one of gamma and beta is empty.</exception>
    public static void Forward(
        ReadOnlySpan<float> x,
        Span<float> y,
        ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta,
        Span<float> savedMean,
        Span<float> savedInverseStd,
        int batchSize,
        int channels,
        int groups,
        int planeSize,
        float epsilon)
    {
        bool affine = Validate(x.Length, nameof(x), y.Length, nameof(y), gamma.Length, beta.Length, savedMean.Length, savedInverseStd.Length,
            batchSize, channels, groups, planeSize);
        int channelsPerGroup = channels / groups;
        int groupLength = channelsPerGroup * planeSize;
        fixed (float* px = x, py = y)
        {
            for (int block = 0; block < batchSize * groups; block++)
            {
                float* values = px + (nint)block * groupLength;
                double mean = RowReductions.Sum(values, groupLength) / groupLength;
                double variance = RowReductions.SumSquaredDeviations(values, mean, groupLength) / groupLength;
                double inverseStd = 1.0 / Math.Sqrt(variance + epsilon);
                savedMean[block] = (float)mean;
                savedInverseStd[block] = (float)inverseStd;

                int firstChannel = (block % groups) * channelsPerGroup;
                for (int k = 0; k < channelsPerGroup; k++)
                {
                    int channel = firstChannel + k;
                    float scale = (float)(affine ? gamma[channel] * inverseStd : inverseStd);
                    float shift = affine ? beta[channel] : 0f;
                    nint start = (nint)block * groupLength + (nint)k * planeSize;
                    NormalizationRows.Affine(px + start, py + start, planeSize, (float)mean, scale, shift);
                }
            }
        }
    }

    /// <summary>
    /// Computes dx = r * (g - mean(g) - x_hat * mean(g * x_hat)) over each group of each example, with g = gamma[c] * dy
    /// (dy without an affine map), x_hat = (x - savedMean) * r and r = savedInverseStd, and, with an affine map, adds
    /// sum(dy * x_hat) to gammaGradients[c] and sum(dy) to betaGradients[c].
    /// </summary>
    /// <param name="x">The forward input, batchSize * channels * planeSize values.</param>
    /// <param name="dy">Gradient of the output, like x.</param>
    /// <param name="dx">Receives the gradient of the input, like x.</param>
    /// <param name="gamma">Scale per channel, or empty for none.</param>
    /// <param name="savedMean">The mean of each group of each example from <see cref="Forward"/>.</param>
    /// <param name="savedInverseStd">1 / sqrt(variance + epsilon) of each group of each example from <see cref="Forward"/>.</param>
    /// <param name="gammaGradients">Gradient per channel of gamma, added to; not used without gamma.</param>
    /// <param name="betaGradients">Gradient per channel of beta, added to; not used without gamma.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="channels">Number of channels, a multiple of groups.</param>
    /// <param name="groups">Number of groups, at least 1.</param>
    /// <param name="planeSize">Values per channel and example, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// batchSize is negative, channels, groups or planeSize is below 1, or channels is not a multiple of groups.
    /// </exception>
    /// <exception cref="ArgumentException">A span is shorter than the shape requires.</exception>
    public static void Backward(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy,
        Span<float> dx,
        ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> savedMean,
        ReadOnlySpan<float> savedInverseStd,
        Span<float> gammaGradients,
        Span<float> betaGradients,
        int batchSize,
        int channels,
        int groups,
        int planeSize)
    {
        bool affine = Validate(x.Length, nameof(x), dx.Length, nameof(dx), gamma.Length, gamma.Length, savedMean.Length, savedInverseStd.Length,
            batchSize, channels, groups, planeSize);
        KernelArguments.RequireLength(dy.Length, (long)batchSize * channels * planeSize, nameof(dy), "batchSize * channels * planeSize");
        if (affine)
        {
            KernelArguments.RequireLength(gammaGradients.Length, channels, nameof(gammaGradients), nameof(channels));
            KernelArguments.RequireLength(betaGradients.Length, channels, nameof(betaGradients), nameof(channels));
        }

        int channelsPerGroup = channels / groups;
        int groupLength = channelsPerGroup * planeSize;
        fixed (float* px = x, pdy = dy, pdx = dx)
        {
            for (int block = 0; block < batchSize * groups; block++)
            {
                float mean = savedMean[block];
                double inverseStd = savedInverseStd[block];
                int firstChannel = (block % groups) * channelsPerGroup;

                // g = gamma[c] * dy, so sum(g) and sum(g * (x - mean)) are gamma-weighted sums of per-channel row sums.
                double gradientSum = 0.0;
                double gradientDeviationSum = 0.0;
                for (int k = 0; k < channelsPerGroup; k++)
                {
                    int channel = firstChannel + k;
                    nint start = (nint)block * groupLength + (nint)k * planeSize;
                    double rowSum = RowReductions.Sum(pdy + start, planeSize);
                    double rowDeviationSum = RowReductions.SumDeviationProducts(px + start, mean, pdy + start, planeSize);
                    double scale = affine ? gamma[channel] : 1.0;
                    gradientSum += scale * rowSum;
                    gradientDeviationSum += scale * rowDeviationSum;
                    if (affine)
                    {
                        gammaGradients[channel] = (float)(gammaGradients[channel] + (rowDeviationSum * inverseStd));
                        betaGradients[channel] = (float)(betaGradients[channel] + rowSum);
                    }
                }

                for (int k = 0; k < channelsPerGroup; k++)
                {
                    int channel = firstChannel + k;
                    (float dyScale, float deviationScale, float constant) = NormalizationRows.GradientCoefficients(
                        inverseStd, affine ? gamma[channel] : 1.0, gradientSum, gradientDeviationSum, groupLength);
                    nint start = (nint)block * groupLength + (nint)k * planeSize;
                    NormalizationRows.Gradient(px + start, pdy + start, pdx + start, planeSize, mean, dyScale, deviationScale, constant);
                }
            }
        }
    }

    /// <summary>Validates the shape and spans and returns whether there is an affine map.</summary>
    private static bool Validate(
        int xLength,
        string xName,
        int outputLength,
        string outputName,
        int gammaLength,
        int betaLength,
        int savedMeanLength,
        int savedInverseStdLength,
        int batchSize,
        int channels,
        int groups,
        int planeSize)
    {
        KernelArguments.RequireNonNegative(batchSize);
        KernelArguments.RequirePositive(channels);
        KernelArguments.RequirePositive(groups);
        KernelArguments.RequirePositive(planeSize);
        if (channels % groups != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(groups), groups, $"channels ({channels}) is not a multiple of groups ({groups}); each group needs the same number of channels.");
        }

        long length = (long)batchSize * channels * planeSize;
        KernelArguments.RequireLength(xLength, length, xName, "batchSize * channels * planeSize");
        KernelArguments.RequireLength(outputLength, length, outputName, "batchSize * channels * planeSize");
        KernelArguments.RequireLength(savedMeanLength, (long)batchSize * groups, "savedMean", "batchSize * groups");
        KernelArguments.RequireLength(savedInverseStdLength, (long)batchSize * groups, "savedInverseStd", "batchSize * groups");
        if (gammaLength == 0 && betaLength == 0)
        {
            return false;
        }

        if (gammaLength == 0 || betaLength == 0)
        {
            throw new ArgumentException(
                $"gamma has {gammaLength} elements and beta has {betaLength}. Pass both empty for no affine map, or both with channels = {channels} elements.",
                gammaLength == 0 ? "gamma" : "beta");
        }

        KernelArguments.RequireLength(gammaLength, channels, "gamma", nameof(channels));
        KernelArguments.RequireLength(betaLength, channels, "beta", nameof(channels));
        return true;
    }
}

namespace ModelCompiler.Kernels;

/// <summary>
/// Batch normalization as PyTorch's <c>BatchNorm2d</c> (and <c>BatchNorm1d</c> with planeSize = 1) for x laid out
/// [batchSize, channels, planeSize]: channel c is normalized over the batch and the plane, then scaled by gamma[c]
/// and shifted by beta[c].
/// </summary>
/// <remarks>
/// <para>
/// Training normalizes with the batch mean and the biased variance (divided by M = batchSize * planeSize) and
/// updates running = (1 - momentum) * running + momentum * statistic with the unbiased variance (divided by M - 1),
/// as PyTorch does. Inference normalizes with the running statistics.
/// </para>
/// <para>
/// Statistics and parameter gradients are sums in double over each channel's rows of planeSize contiguous values:
/// first the mean, then the squared deviations from it, so a large mean does not cancel the variance. The rows are
/// vectorized (see <see cref="RowReductions"/> and <see cref="NormalizationRows"/>). Outputs may be the same span
/// as x, and dx the same span as dy. Spans may be longer than the shape requires, and only the prefix is used.
/// </para>
/// </remarks>
public static unsafe class BatchNormalization
{
    /// <summary>
    /// Normalizes a batch with its own statistics, y = gamma * (x - mean) / sqrt(variance + epsilon) + beta, stores
    /// each channel's mean and 1 / sqrt(variance + epsilon) for <see cref="Backward"/>, and updates the running
    /// statistics.
    /// </summary>
    /// <param name="x">The input, batchSize * channels * planeSize values.</param>
    /// <param name="y">Receives the output, like x.</param>
    /// <param name="gamma">Scale per channel.</param>
    /// <param name="beta">Shift per channel.</param>
    /// <param name="runningMean">Running mean per channel, updated.</param>
    /// <param name="runningVariance">Running unbiased variance per channel, updated.</param>
    /// <param name="savedMean">Receives the batch mean per channel.</param>
    /// <param name="savedInverseStd">Receives 1 / sqrt(biased batch variance + epsilon) per channel.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="channels">Number of channels.</param>
    /// <param name="planeSize">Values per channel and example (height * width), 1 for a flat input.</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <param name="momentum">Weight of the batch statistic in the running average.</param>
    /// <exception cref="ArgumentOutOfRangeException">batchSize, channels or planeSize is negative.</exception>
    /// <exception cref="ArgumentException">
    /// A span is shorter than the shape requires, or batchSize * planeSize is below 2, which leaves the unbiased
    /// variance undefined.
    /// </exception>
    public static void ForwardTraining(
        ReadOnlySpan<float> x,
        Span<float> y,
        ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta,
        Span<float> runningMean,
        Span<float> runningVariance,
        Span<float> savedMean,
        Span<float> savedInverseStd,
        int batchSize,
        int channels,
        int planeSize,
        float epsilon,
        float momentum)
    {
        ValidateShape(x.Length, nameof(x), y.Length, nameof(y), batchSize, channels, planeSize);
        RequireChannelLengths(channels, nameof(channels), (gamma.Length, nameof(gamma)), (beta.Length, nameof(beta)), (runningMean.Length, nameof(runningMean)),
            (runningVariance.Length, nameof(runningVariance)), (savedMean.Length, nameof(savedMean)), (savedInverseStd.Length, nameof(savedInverseStd)));
        long count = (long)batchSize * planeSize;
        if (count < 2)
        {
            throw new ArgumentException(
                $"batchSize * planeSize is {batchSize} * {planeSize} = {count}, but batch normalization in training needs at " +
                "least 2 values per channel, because the running variance is the unbiased variance (divided by count - 1). " +
                "Train with a larger batch, or use ForwardInference.",
                nameof(batchSize));
        }

        fixed (float* px = x, py = y)
        {
            for (int c = 0; c < channels; c++)
            {
                double mean = SumChannel(px, batchSize, channels, planeSize, c) / count;
                double variance = SumChannelSquaredDeviations(px, batchSize, channels, planeSize, c, mean) / count;
                double inverseStd = 1.0 / Math.Sqrt(variance + epsilon);
                savedMean[c] = (float)mean;
                savedInverseStd[c] = (float)inverseStd;

                double keep = 1.0 - momentum;
                double unbiasedVariance = variance * count / (count - 1);
                runningMean[c] = (float)((keep * runningMean[c]) + (momentum * mean));
                runningVariance[c] = (float)((keep * runningVariance[c]) + (momentum * unbiasedVariance));

                NormalizeChannel(px, py, batchSize, channels, planeSize, c, (float)mean, (float)(gamma[c] * inverseStd), beta[c]);
            }
        }
    }

    /// <summary>
    /// Normalizes with the running statistics, y = gamma * (x - runningMean) / sqrt(runningVariance + epsilon) + beta,
    /// a fixed affine map per channel.
    /// </summary>
    /// <param name="x">The input, batchSize * channels * planeSize values.</param>
    /// <param name="y">Receives the output, like x.</param>
    /// <param name="gamma">Scale per channel.</param>
    /// <param name="beta">Shift per channel.</param>
    /// <param name="runningMean">Running mean per channel.</param>
    /// <param name="runningVariance">Running variance per channel.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="channels">Number of channels.</param>
    /// <param name="planeSize">Values per channel and example, 1 for a flat input.</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentOutOfRangeException">batchSize, channels or planeSize is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than the shape requires.</exception>
    public static void ForwardInference(
        ReadOnlySpan<float> x,
        Span<float> y,
        ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVariance,
        int batchSize,
        int channels,
        int planeSize,
        float epsilon)
    {
        ValidateShape(x.Length, nameof(x), y.Length, nameof(y), batchSize, channels, planeSize);
        RequireChannelLengths(channels, nameof(channels), (gamma.Length, nameof(gamma)), (beta.Length, nameof(beta)), (runningMean.Length, nameof(runningMean)),
            (runningVariance.Length, nameof(runningVariance)));
        fixed (float* px = x, py = y)
        {
            for (int c = 0; c < channels; c++)
            {
                double inverseStd = 1.0 / Math.Sqrt((double)runningVariance[c] + epsilon);
                NormalizeChannel(px, py, batchSize, channels, planeSize, c, runningMean[c], (float)(gamma[c] * inverseStd), beta[c]);
            }
        }
    }

    /// <summary>
    /// Computes the training-mode gradients, through the batch mean and variance that
    /// <see cref="ForwardTraining"/> saved: dx = r * (g - mean(g) - x_hat * mean(g * x_hat)) with g = gamma * dy,
    /// x_hat = (x - savedMean) * r and r = savedInverseStd, and adds sum(dy * x_hat) to gammaGradients[c] and
    /// sum(dy) to betaGradients[c].
    /// </summary>
    /// <param name="x">The forward input, batchSize * channels * planeSize values.</param>
    /// <param name="dy">Gradient of the output, like x.</param>
    /// <param name="dx">Receives the gradient of the input, like x.</param>
    /// <param name="gamma">Scale per channel.</param>
    /// <param name="savedMean">The batch mean per channel from the forward pass.</param>
    /// <param name="savedInverseStd">1 / sqrt(variance + epsilon) per channel from the forward pass.</param>
    /// <param name="gammaGradients">Gradient per channel of gamma, added to.</param>
    /// <param name="betaGradients">Gradient per channel of beta, added to.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="channels">Number of channels.</param>
    /// <param name="planeSize">Values per channel and example, 1 for a flat input.</param>
    /// <exception cref="ArgumentOutOfRangeException">batchSize, channels or planeSize is negative.</exception>
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
        int planeSize)
    {
        ValidateShape(x.Length, nameof(x), dx.Length, nameof(dx), batchSize, channels, planeSize);
        KernelArguments.RequireLength(dy.Length, (long)batchSize * channels * planeSize, nameof(dy), "batchSize * channels * planeSize");
        RequireChannelLengths(channels, nameof(channels), (gamma.Length, nameof(gamma)), (savedMean.Length, nameof(savedMean)),
            (savedInverseStd.Length, nameof(savedInverseStd)), (gammaGradients.Length, nameof(gammaGradients)), (betaGradients.Length, nameof(betaGradients)));
        long count = (long)batchSize * planeSize;
        fixed (float* px = x, pdy = dy, pdx = dx)
        {
            for (int c = 0; c < channels; c++)
            {
                float mean = savedMean[c];
                double inverseStd = savedInverseStd[c];
                (double gradientSum, double gradientDeviationSum) = SumChannelGradients(px, pdy, batchSize, channels, planeSize, c, mean);
                gammaGradients[c] = (float)(gammaGradients[c] + (gradientDeviationSum * inverseStd));
                betaGradients[c] = (float)(betaGradients[c] + gradientSum);
                if (count == 0)
                {
                    continue;
                }

                (float dyScale, float deviationScale, float constant) = NormalizationRows.GradientCoefficients(
                    inverseStd, gamma[c], gamma[c] * gradientSum, gamma[c] * gradientDeviationSum, count);
                for (int n = 0; n < batchSize; n++)
                {
                    nint start = RowStart(n, channels, planeSize, c);
                    NormalizationRows.Gradient(px + start, pdy + start, pdx + start, planeSize, mean, dyScale, deviationScale, constant);
                }
            }
        }
    }

    /// <summary>
    /// Computes the gradients of <see cref="ForwardInference"/>, a fixed affine map: dx = dy * gamma * r with
    /// r = 1 / sqrt(runningVariance + epsilon), and adds sum(dy * (x - runningMean) * r) to gammaGradients[c] and
    /// sum(dy) to betaGradients[c].
    /// </summary>
    /// <param name="x">The forward input, batchSize * channels * planeSize values.</param>
    /// <param name="dy">Gradient of the output, like x.</param>
    /// <param name="dx">Receives the gradient of the input, like x.</param>
    /// <param name="gamma">Scale per channel.</param>
    /// <param name="runningMean">Running mean per channel.</param>
    /// <param name="runningVariance">Running variance per channel.</param>
    /// <param name="gammaGradients">Gradient per channel of gamma, added to.</param>
    /// <param name="betaGradients">Gradient per channel of beta, added to.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="channels">Number of channels.</param>
    /// <param name="planeSize">Values per channel and example, 1 for a flat input.</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentOutOfRangeException">batchSize, channels or planeSize is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than the shape requires.</exception>
    public static void BackwardInference(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy,
        Span<float> dx,
        ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVariance,
        Span<float> gammaGradients,
        Span<float> betaGradients,
        int batchSize,
        int channels,
        int planeSize,
        float epsilon)
    {
        ValidateShape(x.Length, nameof(x), dx.Length, nameof(dx), batchSize, channels, planeSize);
        KernelArguments.RequireLength(dy.Length, (long)batchSize * channels * planeSize, nameof(dy), "batchSize * channels * planeSize");
        RequireChannelLengths(channels, nameof(channels), (gamma.Length, nameof(gamma)), (runningMean.Length, nameof(runningMean)),
            (runningVariance.Length, nameof(runningVariance)), (gammaGradients.Length, nameof(gammaGradients)), (betaGradients.Length, nameof(betaGradients)));
        fixed (float* px = x, pdy = dy, pdx = dx)
        {
            for (int c = 0; c < channels; c++)
            {
                double inverseStd = 1.0 / Math.Sqrt((double)runningVariance[c] + epsilon);
                (double gradientSum, double gradientDeviationSum) = SumChannelGradients(px, pdy, batchSize, channels, planeSize, c, runningMean[c]);
                gammaGradients[c] = (float)(gammaGradients[c] + (gradientDeviationSum * inverseStd));
                betaGradients[c] = (float)(betaGradients[c] + gradientSum);

                float scale = (float)(gamma[c] * inverseStd);
                for (int n = 0; n < batchSize; n++)
                {
                    nint start = RowStart(n, channels, planeSize, c);
                    NormalizationRows.Scale(pdy + start, pdx + start, planeSize, scale);
                }
            }
        }
    }

    /// <summary>
    /// Folds an inference-mode batch normalization into the convolution or dense layer before it:
    /// foldedWeights[o, :] = weights[o, :] * scale[o] and foldedBias[o] = (bias[o] - runningMean[o]) * scale[o] + beta[o],
    /// with scale = gamma / sqrt(runningVariance + epsilon).
    /// </summary>
    /// <param name="weights">The layer's weights, outputs rows of weights.Length / outputs values (OIHW or [out, in]).</param>
    /// <param name="bias">The layer's bias per output.</param>
    /// <param name="gamma">Batch normalization scale per output channel.</param>
    /// <param name="beta">Batch normalization shift per output channel.</param>
    /// <param name="runningMean">Running mean per output channel.</param>
    /// <param name="runningVariance">Running variance per output channel.</param>
    /// <param name="foldedWeights">Receives weights.Length values; it may be the same span as weights.</param>
    /// <param name="foldedBias">Receives outputs values.</param>
    /// <param name="outputs">Output channels (or units) of the layer, at least 1.</param>
    /// <param name="epsilon">The batch normalization's epsilon.</param>
    /// <exception cref="ArgumentOutOfRangeException">outputs is below 1.</exception>
    /// <exception cref="ArgumentException">weights.Length is not a multiple of outputs, or a span is too short.</exception>
    public static void Fold(
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias,
        ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVariance,
        Span<float> foldedWeights,
        Span<float> foldedBias,
        int outputs,
        float epsilon)
    {
        KernelArguments.RequirePositive(outputs);
        if (weights.Length % outputs != 0)
        {
            throw new ArgumentException(
                $"weights has {weights.Length} elements, which is not a multiple of outputs = {outputs}. Pass exactly the layer's weights.",
                nameof(weights));
        }

        KernelArguments.RequireLength(foldedWeights.Length, weights.Length, nameof(foldedWeights), "weights.Length");
        RequireChannelLengths(outputs, nameof(outputs), (bias.Length, nameof(bias)), (gamma.Length, nameof(gamma)), (beta.Length, nameof(beta)),
            (runningMean.Length, nameof(runningMean)), (runningVariance.Length, nameof(runningVariance)), (foldedBias.Length, nameof(foldedBias)));
        int rowLength = weights.Length / outputs;
        fixed (float* pweights = weights, pfolded = foldedWeights)
        {
            for (int o = 0; o < outputs; o++)
            {
                double scale = gamma[o] / Math.Sqrt((double)runningVariance[o] + epsilon);
                nint start = (nint)o * rowLength;
                NormalizationRows.Scale(pweights + start, pfolded + start, rowLength, (float)scale);
                foldedBias[o] = (float)((((double)bias[o] - runningMean[o]) * scale) + beta[o]);
            }
        }
    }

    /// <summary>Returns the offset of channel <paramref name="channel"/>'s row in example <paramref name="example"/>.</summary>
    private static nint RowStart(int example, int channels, int planeSize, int channel) => ((nint)example * channels + channel) * planeSize;

    private static double SumChannel(float* x, int batchSize, int channels, int planeSize, int channel)
    {
        double sum = 0.0;
        for (int n = 0; n < batchSize; n++)
        {
            sum += RowReductions.Sum(x + RowStart(n, channels, planeSize, channel), planeSize);
        }

        return sum;
    }

    private static double SumChannelSquaredDeviations(float* x, int batchSize, int channels, int planeSize, int channel, double mean)
    {
        double sum = 0.0;
        for (int n = 0; n < batchSize; n++)
        {
            sum += RowReductions.SumSquaredDeviations(x + RowStart(n, channels, planeSize, channel), mean, planeSize);
        }

        return sum;
    }

    /// <summary>Returns sum(dy) and sum(dy * (x - mean)) over one channel.</summary>
    private static (double GradientSum, double GradientDeviationSum) SumChannelGradients(
        float* x, float* dy, int batchSize, int channels, int planeSize, int channel, double mean)
    {
        double gradientSum = 0.0;
        double gradientDeviationSum = 0.0;
        for (int n = 0; n < batchSize; n++)
        {
            nint start = RowStart(n, channels, planeSize, channel);
            gradientSum += RowReductions.Sum(dy + start, planeSize);
            gradientDeviationSum += RowReductions.SumDeviationProducts(x + start, mean, dy + start, planeSize);
        }

        return (gradientSum, gradientDeviationSum);
    }

    /// <summary>Writes y = (x - mean) * scale + shift over every row of one channel.</summary>
    private static void NormalizeChannel(float* x, float* y, int batchSize, int channels, int planeSize, int channel, float mean, float scale, float shift)
    {
        for (int n = 0; n < batchSize; n++)
        {
            nint start = RowStart(n, channels, planeSize, channel);
            NormalizationRows.Affine(x + start, y + start, planeSize, mean, scale, shift);
        }
    }

    private static void ValidateShape(int xLength, string xName, int outputLength, string outputName, int batchSize, int channels, int planeSize)
    {
        KernelArguments.RequireNonNegative(batchSize);
        KernelArguments.RequireNonNegative(channels);
        KernelArguments.RequireNonNegative(planeSize);
        long length = (long)batchSize * channels * planeSize;
        KernelArguments.RequireLength(xLength, length, xName, "batchSize * channels * planeSize");
        KernelArguments.RequireLength(outputLength, length, outputName, "batchSize * channels * planeSize");
    }

    /// <summary>Throws unless every listed span has at least <paramref name="count"/> elements, one per channel.</summary>
    private static void RequireChannelLengths(int count, string countName, params ReadOnlySpan<(int Length, string Name)> spans)
    {
        foreach ((int length, string name) in spans)
        {
            KernelArguments.RequireLength(length, count, name, countName);
        }
    }
}

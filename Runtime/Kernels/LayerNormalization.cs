using System.Runtime.Intrinsics;

namespace ModelCompiler.Kernels;

/// <summary>
/// Layer normalization as PyTorch's <c>LayerNorm</c> over each example's <c>size</c> values: x_hat = (x - mean) * r
/// with the biased variance and r = 1 / sqrt(variance + epsilon), then y = weight * x_hat + bias per element.
/// </summary>
/// <remarks>
/// The mean and variance are sums in double, in two passes. Rows are vectorized with the widest accelerated vector
/// type that fits size. y may be the same span as x; dx must not overlap dy, x or the parameter spans. Spans may be
/// longer than the shape requires, and only the prefix is used.
/// </remarks>
public static unsafe class LayerNormalization
{
    /// <summary>Normalizes each example and stores its mean and r for <see cref="Backward"/>.</summary>
    /// <param name="x">The input, batchSize * size values.</param>
    /// <param name="y">Receives the output, like x.</param>
    /// <param name="weight">Scale per element of an example, size values.</param>
    /// <param name="bias">Shift per element of an example, size values.</param>
    /// <param name="savedMean">Receives each example's mean, batchSize values.</param>
    /// <param name="savedInverseStd">Receives each example's 1 / sqrt(variance + epsilon), batchSize values.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="size">Values per example, at least 1.</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentOutOfRangeException">batchSize is negative or size is below 1.</exception>
    /// <exception cref="ArgumentException">A span is shorter than the shape requires.</exception>
    public static void Forward(
        ReadOnlySpan<float> x,
        Span<float> y,
        ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias,
        Span<float> savedMean,
        Span<float> savedInverseStd,
        int batchSize,
        int size,
        float epsilon)
    {
        Validate(x.Length, nameof(x), y.Length, nameof(y), weight.Length, savedMean.Length, savedInverseStd.Length, batchSize, size);
        KernelArguments.RequireLength(bias.Length, size, nameof(bias), nameof(size));
        fixed (float* px = x, py = y, pweight = weight, pbias = bias)
        {
            for (int n = 0; n < batchSize; n++)
            {
                float* row = px + (nint)n * size;
                double mean = RowReductions.Sum(row, size) / size;
                double variance = RowReductions.SumSquaredDeviations(row, mean, size) / size;
                double inverseStd = 1.0 / Math.Sqrt(variance + epsilon);
                savedMean[n] = (float)mean;
                savedInverseStd[n] = (float)inverseStd;
                ForwardRow(row, py + (nint)n * size, pweight, pbias, size, (float)mean, (float)inverseStd);
            }
        }
    }

    /// <summary>
    /// Computes dx = r * (g - mean(g) - x_hat * mean(g * x_hat)) per example, with g = weight * dy and the saved mean
    /// and r, and adds dy * x_hat to weightGradients and dy to biasGradients per element, summed over the batch.
    /// </summary>
    /// <param name="x">The forward input, batchSize * size values.</param>
    /// <param name="dy">Gradient of the output, like x.</param>
    /// <param name="dx">Receives the gradient of the input, like x.</param>
    /// <param name="weight">Scale per element of an example, size values.</param>
    /// <param name="savedMean">Each example's mean from <see cref="Forward"/>.</param>
    /// <param name="savedInverseStd">Each example's r from <see cref="Forward"/>.</param>
    /// <param name="weightGradients">Gradient per element of weight, added to.</param>
    /// <param name="biasGradients">Gradient per element of bias, added to.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="size">Values per example, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">batchSize is negative or size is below 1.</exception>
    /// <exception cref="ArgumentException">A span is shorter than the shape requires.</exception>
    public static void Backward(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy,
        Span<float> dx,
        ReadOnlySpan<float> weight,
        ReadOnlySpan<float> savedMean,
        ReadOnlySpan<float> savedInverseStd,
        Span<float> weightGradients,
        Span<float> biasGradients,
        int batchSize,
        int size)
    {
        Validate(x.Length, nameof(x), dx.Length, nameof(dx), weight.Length, savedMean.Length, savedInverseStd.Length, batchSize, size);
        KernelArguments.RequireLength(dy.Length, (long)batchSize * size, nameof(dy), "batchSize * size");
        KernelArguments.RequireLength(weightGradients.Length, size, nameof(weightGradients), nameof(size));
        KernelArguments.RequireLength(biasGradients.Length, size, nameof(biasGradients), nameof(size));
        fixed (float* px = x, pdy = dy, pdx = dx, pweight = weight, pweightGradients = weightGradients, pbiasGradients = biasGradients)
        {
            for (int n = 0; n < batchSize; n++)
            {
                nint start = (nint)n * size;
                float mean = savedMean[n];
                float inverseStd = savedInverseStd[n];
                (double gradientSum, double gradientDeviationSum) = AccumulateRow(
                    px + start, pdy + start, pweight, pweightGradients, pbiasGradients, size, mean, inverseStd);
                (float dyScale, float deviationScale, float constant) = NormalizationRows.GradientCoefficients(
                    inverseStd, 1.0, gradientSum, gradientDeviationSum, size);
                GradientRow(px + start, pdy + start, pweight, pdx + start, size, mean, dyScale, deviationScale, constant);
            }
        }
    }

    private static void Validate(
        int xLength, string xName, int outputLength, string outputName, int weightLength, int savedMeanLength, int savedInverseStdLength, int batchSize, int size)
    {
        KernelArguments.RequireNonNegative(batchSize);
        KernelArguments.RequirePositive(size);
        long length = (long)batchSize * size;
        KernelArguments.RequireLength(xLength, length, xName, "batchSize * size");
        KernelArguments.RequireLength(outputLength, length, outputName, "batchSize * size");
        KernelArguments.RequireLength(weightLength, size, "weight", nameof(size));
        KernelArguments.RequireLength(savedMeanLength, batchSize, "savedMean", nameof(batchSize));
        KernelArguments.RequireLength(savedInverseStdLength, batchSize, "savedInverseStd", nameof(batchSize));
    }

    private static void ForwardRow(float* x, float* y, float* weight, float* bias, int size, float mean, float inverseStd)
    {
        switch (VectorMath.SelectWidth(size))
        {
            case 512:
                LayerNormKernel<Vector512Arithmetic, Vector512<float>>.ForwardRow(x, y, weight, bias, size, mean, inverseStd);
                break;
            case 256:
                LayerNormKernel<Vector256Arithmetic, Vector256<float>>.ForwardRow(x, y, weight, bias, size, mean, inverseStd);
                break;
            case 128:
                LayerNormKernel<Vector128Arithmetic, Vector128<float>>.ForwardRow(x, y, weight, bias, size, mean, inverseStd);
                break;
            default:
                ForwardRowScalar(x, y, weight, bias, 0, size, mean, inverseStd);
                break;
        }
    }

    /// <summary>Returns sum(g) and sum(g * (x - mean)) with g = weight * dy, and adds the row's parameter gradients.</summary>
    private static (double GradientSum, double GradientDeviationSum) AccumulateRow(
        float* x, float* dy, float* weight, float* weightGradients, float* biasGradients, int size, float mean, float inverseStd) =>
        VectorMath.SelectWidth(size) switch
        {
            512 => LayerNormKernel<Vector512Arithmetic, Vector512<float>>.AccumulateRow(x, dy, weight, weightGradients, biasGradients, size, mean, inverseStd),
            256 => LayerNormKernel<Vector256Arithmetic, Vector256<float>>.AccumulateRow(x, dy, weight, weightGradients, biasGradients, size, mean, inverseStd),
            128 => LayerNormKernel<Vector128Arithmetic, Vector128<float>>.AccumulateRow(x, dy, weight, weightGradients, biasGradients, size, mean, inverseStd),
            _ => AccumulateRowScalar(x, dy, weight, weightGradients, biasGradients, 0, size, mean, inverseStd, 0.0, 0.0),
        };

    private static void GradientRow(
        float* x, float* dy, float* weight, float* dx, int size, float mean, float dyScale, float deviationScale, float constant)
    {
        switch (VectorMath.SelectWidth(size))
        {
            case 512:
                LayerNormKernel<Vector512Arithmetic, Vector512<float>>.GradientRow(x, dy, weight, dx, size, mean, dyScale, deviationScale, constant);
                break;
            case 256:
                LayerNormKernel<Vector256Arithmetic, Vector256<float>>.GradientRow(x, dy, weight, dx, size, mean, dyScale, deviationScale, constant);
                break;
            case 128:
                LayerNormKernel<Vector128Arithmetic, Vector128<float>>.GradientRow(x, dy, weight, dx, size, mean, dyScale, deviationScale, constant);
                break;
            default:
                GradientRowScalar(x, dy, weight, dx, 0, size, mean, dyScale, deviationScale, constant);
                break;
        }
    }

    /// <summary>Computes y = ((x - mean) * inverseStd) * weight + bias for elements [start, size).</summary>
    internal static void ForwardRowScalar(float* x, float* y, float* weight, float* bias, int start, int size, float mean, float inverseStd)
    {
        for (int i = start; i < size; i++)
        {
            y[i] = ScalarMath.MultiplyAdd((x[i] - mean) * inverseStd, weight[i], bias[i]);
        }
    }

    /// <summary>The scalar form of <see cref="AccumulateRow"/> for elements [start, size), continuing the given sums.</summary>
    internal static (double GradientSum, double GradientDeviationSum) AccumulateRowScalar(
        float* x,
        float* dy,
        float* weight,
        float* weightGradients,
        float* biasGradients,
        int start,
        int size,
        float mean,
        float inverseStd,
        double gradientSum,
        double gradientDeviationSum)
    {
        for (int i = start; i < size; i++)
        {
            float deviation = x[i] - mean;
            float gradient = dy[i] * weight[i];
            weightGradients[i] = ScalarMath.MultiplyAdd(dy[i], deviation * inverseStd, weightGradients[i]);
            biasGradients[i] += dy[i];
            gradientSum += gradient;
            gradientDeviationSum += ((double)x[i] - mean) * gradient;
        }

        return (gradientSum, gradientDeviationSum);
    }

    /// <summary>Computes dx = dyScale * (dy * weight) + (deviationScale * (x - mean) + constant) for elements [start, size).</summary>
    internal static void GradientRowScalar(
        float* x, float* dy, float* weight, float* dx, int start, int size, float mean, float dyScale, float deviationScale, float constant)
    {
        for (int i = start; i < size; i++)
        {
            dx[i] = ScalarMath.MultiplyAdd(dyScale, dy[i] * weight[i], ScalarMath.MultiplyAdd(deviationScale, x[i] - mean, constant));
        }
    }
}

/// <summary>
/// Vector bodies of the <see cref="LayerNormalization"/> rows for one vector width; each requires size &gt;= Count and
/// finishes the last partial vector with the scalar method of the same name.
/// </summary>
internal static unsafe class LayerNormKernel<TOperations, TVector>
    where TOperations : struct, IArithmeticOperations<TVector>
    where TVector : struct
{
    public static void ForwardRow(float* x, float* y, float* weight, float* bias, int size, float mean, float inverseStd)
    {
        int width = TOperations.Count;
        TVector meanLanes = TOperations.Broadcast(mean);
        TVector scale = TOperations.Broadcast(inverseStd);
        int i = 0;
        for (; i <= size - width; i += width)
        {
            TVector normalized = TOperations.Multiply(TOperations.Subtract(TOperations.Load(x + i), meanLanes), scale);
            TOperations.Store(TOperations.MultiplyAdd(normalized, TOperations.Load(weight + i), TOperations.Load(bias + i)), y + i);
        }

        LayerNormalization.ForwardRowScalar(x, y, weight, bias, i, size, mean, inverseStd);
    }

    public static (double GradientSum, double GradientDeviationSum) AccumulateRow(
        float* x, float* dy, float* weight, float* weightGradients, float* biasGradients, int size, float mean, float inverseStd)
    {
        int width = TOperations.Count;
        TVector meanLanes = TOperations.Broadcast(mean);
        TVector meanDoubles = TOperations.BroadcastDouble(mean);
        TVector scale = TOperations.Broadcast(inverseStd);
        TVector sumLower = TOperations.Zero, sumUpper = TOperations.Zero;
        TVector deviationLower = TOperations.Zero, deviationUpper = TOperations.Zero;
        int i = 0;
        for (; i <= size - width; i += width)
        {
            TVector values = TOperations.Load(x + i);
            TVector outputGradients = TOperations.Load(dy + i);
            TVector normalized = TOperations.Multiply(TOperations.Subtract(values, meanLanes), scale);
            TVector gradients = TOperations.Multiply(outputGradients, TOperations.Load(weight + i));
            TOperations.Store(TOperations.MultiplyAdd(outputGradients, normalized, TOperations.Load(weightGradients + i)), weightGradients + i);
            TOperations.Store(TOperations.Add(TOperations.Load(biasGradients + i), outputGradients), biasGradients + i);
            TOperations.AccumulateSum(gradients, ref sumLower, ref sumUpper);
            TOperations.AccumulateDeviationProduct(values, meanDoubles, gradients, ref deviationLower, ref deviationUpper);
        }

        return LayerNormalization.AccumulateRowScalar(
            x, dy, weight, weightGradients, biasGradients, i, size, mean, inverseStd,
            TOperations.SumDoubles(sumLower, sumUpper), TOperations.SumDoubles(deviationLower, deviationUpper));
    }

    public static void GradientRow(
        float* x, float* dy, float* weight, float* dx, int size, float mean, float dyScale, float deviationScale, float constant)
    {
        int width = TOperations.Count;
        TVector meanLanes = TOperations.Broadcast(mean);
        TVector dyScaleLanes = TOperations.Broadcast(dyScale);
        TVector deviationScaleLanes = TOperations.Broadcast(deviationScale);
        TVector constantLanes = TOperations.Broadcast(constant);
        int i = 0;
        for (; i <= size - width; i += width)
        {
            TVector gradients = TOperations.Multiply(TOperations.Load(dy + i), TOperations.Load(weight + i));
            TVector deviation = TOperations.Subtract(TOperations.Load(x + i), meanLanes);
            TVector partial = TOperations.MultiplyAdd(deviationScaleLanes, deviation, constantLanes);
            TOperations.Store(TOperations.MultiplyAdd(dyScaleLanes, gradients, partial), dx + i);
        }

        LayerNormalization.GradientRowScalar(x, dy, weight, dx, i, size, mean, dyScale, deviationScale, constant);
    }
}

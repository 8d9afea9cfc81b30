namespace ModelCompiler.Preprocessing;

/// <summary>
/// Principal component analysis of flattened inputs, fitted once on a training set and then applied to it and
/// to any other set: projection onto the leading components, PCA whitening and ZCA whitening.
/// </summary>
/// <remarks>
/// <para>
/// Data is laid out as count x dimension floats, one example after another, so an NCHW image is flattened to
/// dimension channels x height x width. <see cref="Fit"/> computes in double the mean μ and the population
/// covariance C = (1 / count) Σ (x - μ)(x - μ)ᵀ. Dividing by count rather than count - 1 makes the projected
/// training data have exactly the variances in <see cref="Eigenvalues"/>. The symmetric eigendecomposition
/// C = V Λ Vᵀ comes from <see cref="SymmetricEigensolver"/>, with components sorted by decreasing eigenvalue.
/// </para>
/// <para>
/// The transforms compute in double and round each output to float once. Component k of an example x is
/// y_k = v_kᵀ (x - μ), with v_k the k-th row of <see cref="Components"/>.
/// </para>
/// </remarks>
public sealed class PrincipalComponents
{
    // Examples transposed per block of the covariance computation. 128 x dimension doubles is 0.8 MB for 784
    // inputs, so a block stays in cache while every pair of its columns is multiplied.
    private const int CovarianceBlockRows = 128;

    private readonly double[] _mean;
    private readonly double[] _eigenvalues;
    private readonly double[] _components;
    private readonly double[] _explainedVarianceRatio;

    private PrincipalComponents(int dimension, int sampleCount, double[] mean, double[] eigenvalues, double[] components)
    {
        Dimension = dimension;
        SampleCount = sampleCount;
        _mean = mean;
        _eigenvalues = eigenvalues;
        _components = components;

        double totalVariance = eigenvalues.Sum();
        _explainedVarianceRatio = eigenvalues.Select(eigenvalue => eigenvalue / totalVariance).ToArray();
    }

    /// <summary>Number of values in one example.</summary>
    public int Dimension { get; }

    /// <summary>Number of examples the transform was fitted on.</summary>
    public int SampleCount { get; }

    /// <summary>Mean of each input position over the fitted examples.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>
    /// Variance of the fitted data along each component, largest first: the eigenvalues of the covariance
    /// matrix. A covariance matrix has no negative eigenvalues, so negative values, which come only from
    /// rounding, are stored as 0.
    /// </summary>
    public ReadOnlySpan<double> Eigenvalues => _eigenvalues;

    /// <summary>
    /// Unit eigenvectors of the covariance matrix as rows of a <see cref="Dimension"/> x <see cref="Dimension"/>
    /// row-major matrix, row k belonging to <c>Eigenvalues[k]</c>. Each row's sign makes its entry of largest
    /// magnitude positive.
    /// </summary>
    public ReadOnlySpan<double> Components => _components;

    /// <summary>Fraction of the total variance along each component: each eigenvalue divided by their sum.</summary>
    public ReadOnlySpan<double> ExplainedVarianceRatio => _explainedVarianceRatio;

    /// <summary>Returns the unit eigenvector of <c>Eigenvalues[index]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Dimension).</exception>
    public ReadOnlySpan<double> GetComponent(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Dimension);
        return _components.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>
    /// Computes the mean, the population covariance and its eigendecomposition of the <paramref name="count"/>
    /// examples of <paramref name="dimension"/> values in <paramref name="data"/>.
    /// </summary>
    /// <remarks>
    /// Time grows as count x dimension^2 for the covariance plus an estimated 10 x dimension^3 for the
    /// eigensolver. Temporary memory is about 4 x dimension^2 doubles, 20 MB for dimension 784.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is less than 2, or <paramref name="dimension"/> is not positive.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="data"/> is not count x dimension, a value is NaN or infinite, or every
    /// example is the same, so that there is no variance to analyze.
    /// </exception>
    public static PrincipalComponents Fit(ReadOnlySpan<float> data, int count, int dimension)
    {
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count),
                count,
                $"count is {count}; PCA needs at least 2 examples to estimate a covariance.");
        }

        DataChecks.ValidateRows(data.Length, count, dimension, nameof(data), nameof(dimension));
        DataChecks.ValidateFinite(data, dimension, nameof(data));

        double[] mean = ComputeMean(data, count, dimension);
        double[] covariance = ComputeCovariance(data, count, dimension, mean);

        double totalVariance = 0.0;
        for (int i = 0; i < dimension; i++)
        {
            totalVariance += covariance[i * dimension + i];
        }

        if (totalVariance == 0.0)
        {
            throw new ArgumentException(
                $"All {count} examples in data are identical, so the covariance is zero and has no principal components.",
                nameof(data));
        }

        SymmetricEigendecomposition decomposition = SymmetricEigensolver.Decompose(covariance, dimension);
        double[] eigenvalues = decomposition.Eigenvalues.ToArray();
        for (int i = 0; i < eigenvalues.Length; i++)
        {
            eigenvalues[i] = Math.Max(eigenvalues[i], 0.0);
        }

        return new PrincipalComponents(dimension, count, mean, eigenvalues, decomposition.EigenvectorArray);
    }

    /// <summary>
    /// Writes the first <paramref name="components"/> principal components y_k = v_kᵀ (x - μ) of each example to
    /// <paramref name="output"/>, count x components. This decorrelates the data: on the fitted data, component k
    /// has variance <c>Eigenvalues[k]</c> and distinct components have covariance 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is not positive, or <paramref name="components"/> is outside [1, Dimension].
    /// </exception>
    /// <exception cref="ArgumentException">
    /// A span length does not match, or <paramref name="input"/> contains a NaN or infinite value.
    /// </exception>
    public void Project(ReadOnlySpan<float> input, int count, Span<float> output, int components)
    {
        ValidateTransform(input, count, output, components, outputSize: components);
        Transform(input, count, output, components, scales: null, rotateBack: false);
    }

    /// <summary>
    /// Writes the first <paramref name="components"/> principal components of each example, each divided by
    /// sqrt(<c>Eigenvalues[k]</c> + <paramref name="epsilon"/>), to <paramref name="output"/>, count x components
    /// ("PCA whitening"). With epsilon 0, the fitted data comes out with the identity as covariance.
    /// </summary>
    /// <param name="input">Examples of <see cref="Dimension"/> values each.</param>
    /// <param name="count">Number of examples.</param>
    /// <param name="output">Receives count x <paramref name="components"/> values.</param>
    /// <param name="components">Number of leading components to keep, from 1 to <see cref="Dimension"/>.</param>
    /// <param name="epsilon">
    /// Added to each eigenvalue, finite and not negative. A component with eigenvalue near 0 is scaled up by
    /// 1 / sqrt(eigenvalue + epsilon), which amplifies noise. A positive epsilon caps that gain at 1 / sqrt(epsilon).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is not positive, <paramref name="components"/> is outside [1, Dimension], or
    /// <paramref name="epsilon"/> is negative, infinite or NaN.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// A span length does not match, <paramref name="input"/> contains a NaN or infinite value, or a kept
    /// component has eigenvalue + epsilon = 0.
    /// </exception>
    public void Whiten(ReadOnlySpan<float> input, int count, Span<float> output, int components, double epsilon)
    {
        ValidateTransform(input, count, output, components, outputSize: components);
        double[] scales = ComputeWhiteningScales(components, epsilon);
        Transform(input, count, output, components, scales, rotateBack: false);
    }

    /// <summary>
    /// Writes the ZCA-whitened examples V_k Λ_k^(-1/2) V_kᵀ (x - μ) to <paramref name="output"/>, count x
    /// <see cref="Dimension"/>, where V_k contains the first <paramref name="components"/> components. This is
    /// <see cref="Whiten"/> rotated back into the input space, so each output value still belongs to an input
    /// position, as pixels of an image do. With all components and epsilon 0, the fitted data comes out with the
    /// identity as covariance.
    /// </summary>
    /// <param name="input">Examples of <see cref="Dimension"/> values each.</param>
    /// <param name="count">Number of examples.</param>
    /// <param name="output">Receives count x <see cref="Dimension"/> values.</param>
    /// <param name="components">Number of leading components to keep, from 1 to <see cref="Dimension"/>.</param>
    /// <param name="epsilon">Added to each eigenvalue, finite and not negative, as in <see cref="Whiten"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is not positive, <paramref name="components"/> is outside [1, Dimension], or
    /// <paramref name="epsilon"/> is negative, infinite or NaN.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// A span length does not match, <paramref name="input"/> contains a NaN or infinite value, or a kept
    /// component has eigenvalue + epsilon = 0.
    /// </exception>
    public void ZcaWhiten(ReadOnlySpan<float> input, int count, Span<float> output, int components, double epsilon)
    {
        ValidateTransform(input, count, output, components, outputSize: Dimension);
        double[] scales = ComputeWhiteningScales(components, epsilon);
        Transform(input, count, output, components, scales, rotateBack: true);
    }

    private static double[] ComputeMean(ReadOnlySpan<float> data, int count, int dimension)
    {
        var mean = new double[dimension];
        for (int example = 0; example < count; example++)
        {
            ReadOnlySpan<float> row = data.Slice(example * dimension, dimension);
            for (int i = 0; i < dimension; i++)
            {
                mean[i] += row[i];
            }
        }

        for (int i = 0; i < dimension; i++)
        {
            mean[i] /= count;
        }

        return mean;
    }

    /// <summary>
    /// Returns the population covariance, dimension x dimension row-major, of the data centered by
    /// <paramref name="mean"/>.
    /// </summary>
    /// <remarks>
    /// Blocks of examples are centered and transposed so that each input position's values over the block are
    /// contiguous. Every entry of the upper triangle then gains one dot product per block, and the lower triangle
    /// is mirrored at the end.
    /// </remarks>
    private static double[] ComputeCovariance(ReadOnlySpan<float> data, int count, int dimension, double[] mean)
    {
        var covariance = new double[dimension * dimension];
        var block = new double[dimension * Math.Min(CovarianceBlockRows, count)];
        for (int start = 0; start < count; start += CovarianceBlockRows)
        {
            int rows = Math.Min(CovarianceBlockRows, count - start);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> example = data.Slice((start + r) * dimension, dimension);
                for (int i = 0; i < dimension; i++)
                {
                    block[i * rows + r] = example[i] - mean[i];
                }
            }

            for (int i = 0; i < dimension; i++)
            {
                ReadOnlySpan<double> column = block.AsSpan(i * rows, rows);
                Span<double> covarianceRow = covariance.AsSpan(i * dimension, dimension);
                for (int j = i; j < dimension; j++)
                {
                    covarianceRow[j] += DoubleVectors.Dot(column, block.AsSpan(j * rows, rows));
                }
            }
        }

        for (int i = 0; i < dimension; i++)
        {
            for (int j = i; j < dimension; j++)
            {
                double value = covariance[i * dimension + j] / count;
                covariance[i * dimension + j] = value;
                covariance[j * dimension + i] = value;
            }
        }

        return covariance;
    }

    private void ValidateTransform(ReadOnlySpan<float> input, int count, Span<float> output, int components, int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (components < 1 || components > Dimension)
        {
            throw new ArgumentOutOfRangeException(
                nameof(components),
                components,
                $"components is {components}; expected a number from 1 to Dimension = {Dimension}.");
        }

        DataChecks.ValidateRows(input.Length, count, Dimension, nameof(input), nameof(Dimension));
        long expectedOutputLength = (long)count * outputSize;
        if (output.Length != expectedOutputLength)
        {
            throw new ArgumentException(
                $"output has {output.Length} values; expected {expectedOutputLength} (count {count} x {outputSize}).",
                nameof(output));
        }

        DataChecks.ValidateFinite(input, Dimension, nameof(input));
    }

    private double[] ComputeWhiteningScales(int components, double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0.0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(epsilon),
                epsilon,
                $"epsilon is {epsilon}; expected a finite value of at least 0.");
        }

        var scales = new double[components];
        for (int k = 0; k < components; k++)
        {
            double variance = _eigenvalues[k] + epsilon;
            if (variance == 0.0)
            {
                throw new ArgumentException(
                    $"Component {k} has eigenvalue 0, so with epsilon 0 whitening would divide by zero. " +
                    $"Keep at most {k} components or pass a positive epsilon.",
                    nameof(epsilon));
            }

            scales[k] = 1.0 / Math.Sqrt(variance);
        }

        return scales;
    }

    // Computes y_k = scale_k v_kᵀ (x - μ) for k < components, and writes either y or, when rotateBack is set,
    // Σ_k y_k v_k.
    private void Transform(ReadOnlySpan<float> input, int count, Span<float> output, int components, double[]? scales, bool rotateBack)
    {
        int dimension = Dimension;
        var centered = new double[dimension];
        var projected = new double[components];
        var rotated = new double[rotateBack ? dimension : 0];
        for (int example = 0; example < count; example++)
        {
            ReadOnlySpan<float> x = input.Slice(example * dimension, dimension);
            for (int i = 0; i < dimension; i++)
            {
                centered[i] = x[i] - _mean[i];
            }

            for (int k = 0; k < components; k++)
            {
                double value = DoubleVectors.Dot(_components.AsSpan(k * dimension, dimension), centered);
                projected[k] = scales is null ? value : value * scales[k];
            }

            if (!rotateBack)
            {
                Span<float> outputRow = output.Slice(example * components, components);
                for (int k = 0; k < components; k++)
                {
                    outputRow[k] = (float)projected[k];
                }

                continue;
            }

            Array.Clear(rotated);
            for (int k = 0; k < components; k++)
            {
                DoubleVectors.AddScaled(rotated, projected[k], _components.AsSpan(k * dimension, dimension));
            }

            Span<float> rotatedRow = output.Slice(example * dimension, dimension);
            for (int i = 0; i < dimension; i++)
            {
                rotatedRow[i] = (float)rotated[i];
            }
        }
    }
}

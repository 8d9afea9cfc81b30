namespace ModelCompiler.Tests.Kernels;

/// <summary>
/// Error bounds for comparing the float normalization kernels with the reference interpreter in double, shared by the
/// batch, layer and group normalization tests.
/// </summary>
/// <remarks>
/// <para>
/// A layout maps every element to its statistics block (a channel for batch normalization, an example for layer
/// normalization, a group of an example for group normalization) and to its scale and shift parameter (-1 for none).
/// </para>
/// <para>
/// The kernels round the mean and r = 1 / sqrt(variance + epsilon) to float, receive dy rounded to float, and
/// compute each output with a few float operations. Each rounding is at most u = 2^-24 relative to one of the
/// magnitudes below, so every bound is gamma(k) times the sum of those magnitudes, with k the length of the deepest
/// rounding chain. The rounded mean shifts every deviation x - mean by up to u * |mean|, which enters through the
/// |mean| terms.
/// </para>
/// </remarks>
internal sealed class NormalizationChecks
{
    private readonly int[] _blockOf;
    private readonly int[] _parameterOf;
    private readonly float[] _x;
    private readonly double[] _mean;
    private readonly double[] _inverseStd;
    private readonly int[] _blockSizes;

    /// <summary>Computes each block's mean and r in double, in two passes, from the float input.</summary>
    public NormalizationChecks(float[] x, int[] blockOf, int blockCount, int[] parameterOf, double epsilon)
    {
        _x = x;
        _blockOf = blockOf;
        _parameterOf = parameterOf;
        _mean = new double[blockCount];
        _inverseStd = new double[blockCount];
        _blockSizes = new int[blockCount];
        for (int i = 0; i < x.Length; i++)
        {
            _mean[blockOf[i]] += x[i];
            _blockSizes[blockOf[i]]++;
        }

        for (int block = 0; block < blockCount; block++)
        {
            _mean[block] /= _blockSizes[block];
        }

        var squaredDeviations = new double[blockCount];
        for (int i = 0; i < x.Length; i++)
        {
            double deviation = x[i] - _mean[blockOf[i]];
            squaredDeviations[blockOf[i]] += deviation * deviation;
        }

        for (int block = 0; block < blockCount; block++)
        {
            _inverseStd[block] = 1.0 / Math.Sqrt(squaredDeviations[block] / _blockSizes[block] + epsilon);
        }
    }

    /// <summary>Each block's mean in double.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Each block's 1 / sqrt(variance + epsilon) in double.</summary>
    public IReadOnlyList<double> InverseStd => _inverseStd;

    /// <summary>
    /// Asserts the outputs. The deepest chain is 5 roundings (mean, r, x - mean, the scaling, the fused multiply-add),
    /// relative to |gamma| * r * (|x - mean| + |mean|) + |beta|.
    /// </summary>
    public void AssertOutput(float[] actual, double[] expected, float[] gamma, float[] beta, string name)
    {
        for (int i = 0; i < _x.Length; i++)
        {
            int block = _blockOf[i];
            double scale = Gamma(gamma, i);
            double shift = _parameterOf[i] < 0 || beta.Length == 0 ? 0.0 : Math.Abs(beta[_parameterOf[i]]);
            double magnitude = Math.Abs(scale) * _inverseStd[block] * (Math.Abs(_x[i] - _mean[block]) + Math.Abs(_mean[block])) + shift;
            FloatAccuracy.AssertClose(actual[i], expected[i], KernelTestData.RoundingBound(5, magnitude) + float.Epsilon, $"{name} output {i}");
        }
    }

    /// <summary>
    /// Asserts the input gradients of dx = r * (g - mean(g) - x_hat * mean(g * x_hat)), g = gamma * dy. The magnitudes
    /// are r * (|g| + mean|g| + |x_hat| * mean|g * x_hat|) and, for the rounded mean, r^2 * |mean| * mean|g * x_hat|.
    /// The deepest chain is 12 roundings: dy, the saved mean and r (r enters cubed), the three coefficients, x - mean,
    /// two fused multiply-adds, and the block sums' rounding to float.
    /// </summary>
    public void AssertInputGradient(float[] actual, double[] expected, float[] dy, float[] gamma, string name)
    {
        var gradientMagnitude = new double[_mean.Length];
        var gradientDeviationMagnitude = new double[_mean.Length];
        for (int i = 0; i < _x.Length; i++)
        {
            int block = _blockOf[i];
            double g = Math.Abs(Gamma(gamma, i) * dy[i]);
            gradientMagnitude[block] += g;
            gradientDeviationMagnitude[block] += g * Math.Abs(_x[i] - _mean[block]) * _inverseStd[block];
        }

        for (int i = 0; i < _x.Length; i++)
        {
            int block = _blockOf[i];
            double r = _inverseStd[block];
            double count = _blockSizes[block];
            double normalized = Math.Abs(_x[i] - _mean[block]) * r;
            double magnitude = r * (Math.Abs(Gamma(gamma, i) * dy[i]) + gradientMagnitude[block] / count + normalized * gradientDeviationMagnitude[block] / count)
                + r * r * Math.Abs(_mean[block]) * gradientDeviationMagnitude[block] / count;
            FloatAccuracy.AssertClose(actual[i], expected[i], KernelTestData.RoundingBound(12, magnitude) + float.Epsilon, $"{name} input gradient {i}");
        }
    }

    /// <summary>
    /// Asserts gammaGradients = initial + sum(dy * x_hat) and betaGradients = initial + sum(dy) per parameter. The
    /// kernels round each partial sum into the float gradient <paramref name="accumulations"/> times (once per example
    /// for layer and group normalization, once for batch normalization); dy and the saved statistics add 3 more
    /// roundings, and the rounded mean adds u * r * |mean| * |dy|.
    /// </summary>
    public void AssertParameterGradients(
        float[] gammaGradients,
        float[] betaGradients,
        float[] initialGamma,
        float[] initialBeta,
        double[] expectedGamma,
        double[] expectedBeta,
        float[] dy,
        int accumulations,
        string name)
    {
        int count = gammaGradients.Length;
        var normalizedMagnitude = new double[count];
        var gradientMagnitude = new double[count];
        var meanMagnitude = new double[count];
        for (int i = 0; i < _x.Length; i++)
        {
            int parameter = _parameterOf[i];
            int block = _blockOf[i];
            normalizedMagnitude[parameter] += Math.Abs(dy[i] * (_x[i] - _mean[block]) * _inverseStd[block]);
            gradientMagnitude[parameter] += Math.Abs(dy[i]);
            meanMagnitude[parameter] += Math.Abs(dy[i]) * _inverseStd[block] * Math.Abs(_mean[block]);
        }

        for (int p = 0; p < count; p++)
        {
            double gammaBound = KernelTestData.RoundingBound(accumulations + 3, normalizedMagnitude[p] + Math.Abs(initialGamma[p]))
                + KernelTestData.UnitRoundoff * meanMagnitude[p];
            double betaBound = KernelTestData.RoundingBound(accumulations + 2, gradientMagnitude[p] + Math.Abs(initialBeta[p]));
            FloatAccuracy.AssertClose(gammaGradients[p], initialGamma[p] + expectedGamma[p], gammaBound + float.Epsilon, $"{name} gamma gradient {p}");
            FloatAccuracy.AssertClose(betaGradients[p], initialBeta[p] + expectedBeta[p], betaBound + float.Epsilon, $"{name} beta gradient {p}");
        }
    }

    private double Gamma(float[] gamma, int element) => _parameterOf[element] < 0 || gamma.Length == 0 ? 1.0 : gamma[_parameterOf[element]];
}

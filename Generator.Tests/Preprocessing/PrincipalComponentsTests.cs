using System.Diagnostics;
using ModelCompiler.Data;
using ModelCompiler.Preprocessing;
using ModelCompiler.Tests.Data;
using ModelCompiler.Training;
using Xunit;
using Xunit.Abstractions;
using static ModelCompiler.Tests.Preprocessing.LinearAlgebraTestData;

namespace ModelCompiler.Tests.Preprocessing;

public class PrincipalComponentsTests
{
    private const int Count = 4000;
    private const int Dimension = 6;

    // Transforms round each output to float, a relative error of at most 2^-24 = 6e-8 per value. A covariance
    // entry of unit-scale outputs is then off by about 1e-7, and the eigensolver adds about 1e-13 relative to the
    // largest eigenvalue, or 1e-11 after division by the smallest (condition number below 100 here). A tolerance
    // of 1e-5 leaves a margin of 100 over the expected error while still catching a wrong scale or rotation.
    private const double WhiteningTolerance = 1e-5;

    private readonly ITestOutputHelper _output;

    public PrincipalComponentsTests(ITestOutputHelper output)
    {
        _output = output;
    }

    // Correlated data x = M z + offset, with z standard normal and a fixed mixing matrix M. Its covariance M Mᵀ
    // has eigenvalues between about 0.3 and 20, and the offsets are large next to the spread.
    private static float[] CreateCorrelatedData(int count, ulong seed)
    {
        double[,] mixing =
        {
            { 3.0, 0.5, 0.0, 0.0, 0.2, 0.0 },
            { 1.5, 1.0, 0.3, 0.0, 0.0, 0.0 },
            { 0.0, 0.8, 1.2, 0.4, 0.0, 0.0 },
            { 0.5, 0.0, 0.5, 1.0, 0.3, 0.0 },
            { 0.0, 0.0, 0.0, 0.6, 0.9, 0.2 },
            { 0.2, 0.0, 0.0, 0.0, 0.4, 0.6 },
        };
        double[] offsets = [10.0, -5.0, 3.0, 100.0, 0.0, 42.0];

        var random = new DeterministicRandom(seed);
        var data = new float[count * Dimension];
        var z = new double[Dimension];
        for (int example = 0; example < count; example++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                z[j] = random.NextGaussian();
            }

            for (int i = 0; i < Dimension; i++)
            {
                double value = offsets[i];
                for (int j = 0; j < Dimension; j++)
                {
                    value += mixing[i, j] * z[j];
                }

                data[example * Dimension + i] = (float)value;
            }
        }

        return data;
    }

    // Returns the population covariance (dividing by count) of count x dimension float data, in double.
    private static double[,] Covariance(ReadOnlySpan<float> data, int count, int dimension)
    {
        var mean = new double[dimension];
        for (int example = 0; example < count; example++)
        {
            for (int i = 0; i < dimension; i++)
            {
                mean[i] += data[example * dimension + i];
            }
        }

        for (int i = 0; i < dimension; i++)
        {
            mean[i] /= count;
        }

        var covariance = new double[dimension, dimension];
        for (int example = 0; example < count; example++)
        {
            for (int i = 0; i < dimension; i++)
            {
                double di = data[example * dimension + i] - mean[i];
                for (int j = 0; j < dimension; j++)
                {
                    covariance[i, j] += di * (data[example * dimension + j] - mean[j]);
                }
            }
        }

        for (int i = 0; i < dimension; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                covariance[i, j] /= count;
            }
        }

        return covariance;
    }

    private static void AssertIdentity(double[,] covariance, double tolerance)
    {
        int n = covariance.GetLength(0);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = i == j ? 1.0 : 0.0;
                Assert.True(
                    Math.Abs(covariance[i, j] - expected) <= tolerance,
                    $"Covariance [{i}, {j}] is {covariance[i, j]}; expected {expected} within {tolerance}.");
            }
        }
    }

    [Fact]
    public void HandComputedTwoDimensional()
    {
        // The points (2, 2), (-2, -2), (1, -1), (-1, 1) have mean 0 and population covariance
        // [[2.5, 1.5], [1.5, 2.5]], with eigenvalue 4 along (1, 1) / sqrt 2 and eigenvalue 1 along (1, -1) / sqrt 2.
        float[] data = [2f, 2f, -2f, -2f, 1f, -1f, -1f, 1f];

        PrincipalComponents pca = PrincipalComponents.Fit(data, 4, 2);

        double root = Math.Sqrt(0.5);
        Assert.Equal([0.0, 0.0], pca.Mean.ToArray());
        Assert.Equal(4.0, pca.Eigenvalues[0], 1e-14);
        Assert.Equal(1.0, pca.Eigenvalues[1], 1e-14);
        Assert.Equal(0.8, pca.ExplainedVarianceRatio[0], 1e-14);
        Assert.Equal(0.2, pca.ExplainedVarianceRatio[1], 1e-14);
        Assert.Equal(root, pca.GetComponent(0)[0], 1e-14);
        Assert.Equal(root, pca.GetComponent(0)[1], 1e-14);
        Assert.Equal(root, pca.GetComponent(1)[0], 1e-14);
        Assert.Equal(-root, pca.GetComponent(1)[1], 1e-14);

        float[] projected = new float[8];
        pca.Project(data, 4, projected, 2);

        float[] expected = [(float)(4 * root), 0f, (float)(-4 * root), 0f, 0f, (float)(2 * root), 0f, (float)(-2 * root)];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], projected[i], 1e-6f);
        }
    }

    [Fact]
    public void CovarianceDividesByCount()
    {
        // Values 0 and 2 have mean 1 and population variance 1, and dividing by count - 1 would give 2.
        PrincipalComponents pca = PrincipalComponents.Fit([0f, 2f], 2, 1);

        Assert.Equal(1.0, pca.Mean[0]);
        Assert.Equal(1.0, pca.Eigenvalues[0]);
        Assert.Equal(2, pca.SampleCount);
    }

    [Fact]
    public void EigenvaluesMatchCovariance()
    {
        float[] data = CreateCorrelatedData(Count, seed: 1);

        PrincipalComponents pca = PrincipalComponents.Fit(data, Count, Dimension);

        double[,] covariance = Covariance(data, Count, Dimension);
        var matrix = new double[Dimension * Dimension];
        for (int i = 0; i < Dimension; i++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                matrix[i * Dimension + j] = covariance[i, j];
            }
        }

        // The reference covariance sums in another order, so it differs from the fitted one by rounding, about
        // 1e-15 relative. The residual tolerance allows 10 n ε ‖C‖ as in the eigensolver tests, plus that.
        double tolerance = 1e-12 * FrobeniusNorm(matrix);
        Assert.InRange(MaxResidual(matrix, pca.Eigenvalues, pca.Components, Dimension), 0.0, tolerance);
        Assert.InRange(MaxOrthonormalityError(pca.Components, Dimension), 0.0, 1e-14);
        Assert.Equal(1.0, pca.ExplainedVarianceRatio.ToArray().Sum(), 1e-14);
        for (int k = 1; k < Dimension; k++)
        {
            Assert.True(pca.Eigenvalues[k - 1] >= pca.Eigenvalues[k], $"Eigenvalues {k - 1} and {k} are out of order.");
        }
    }

    [Fact]
    public void WhitenGivesIdentityCovariance()
    {
        float[] data = CreateCorrelatedData(Count, seed: 2);
        PrincipalComponents pca = PrincipalComponents.Fit(data, Count, Dimension);
        float[] whitened = new float[Count * Dimension];

        pca.Whiten(data, Count, whitened, Dimension, epsilon: 0.0);

        AssertIdentity(Covariance(whitened, Count, Dimension), WhiteningTolerance);
    }

    [Fact]
    public void WhitenLeadingComponentsGivesIdentity()
    {
        float[] data = CreateCorrelatedData(Count, seed: 3);
        PrincipalComponents pca = PrincipalComponents.Fit(data, Count, Dimension);
        float[] whitened = new float[Count * 3];

        pca.Whiten(data, Count, whitened, 3, epsilon: 0.0);

        AssertIdentity(Covariance(whitened, Count, 3), WhiteningTolerance);
    }

    [Fact]
    public void WhitenEpsilonShrinksVariance()
    {
        float[] data = CreateCorrelatedData(Count, seed: 4);
        PrincipalComponents pca = PrincipalComponents.Fit(data, Count, Dimension);
        float[] whitened = new float[Count * Dimension];
        const double Epsilon = 0.5;

        pca.Whiten(data, Count, whitened, Dimension, Epsilon);

        // Component k is divided by sqrt(λ_k + ε), so its variance becomes λ_k / (λ_k + ε).
        double[,] covariance = Covariance(whitened, Count, Dimension);
        for (int k = 0; k < Dimension; k++)
        {
            double expected = pca.Eigenvalues[k] / (pca.Eigenvalues[k] + Epsilon);
            Assert.Equal(expected, covariance[k, k], WhiteningTolerance);
        }
    }

    [Fact]
    public void ProjectGivesDiagonalCovariance()
    {
        float[] data = CreateCorrelatedData(Count, seed: 5);
        PrincipalComponents pca = PrincipalComponents.Fit(data, Count, Dimension);
        float[] projected = new float[Count * Dimension];

        pca.Project(data, Count, projected, Dimension);

        // Projection is whitening without the division by sqrt(λ), so entry [i, j] gets WhiteningTolerance
        // scaled by sqrt(λ_i λ_j).
        double[,] covariance = Covariance(projected, Count, Dimension);
        for (int i = 0; i < Dimension; i++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                double expected = i == j ? pca.Eigenvalues[i] : 0.0;
                double tolerance = WhiteningTolerance * Math.Sqrt(pca.Eigenvalues[i] * pca.Eigenvalues[j]);
                Assert.True(
                    Math.Abs(covariance[i, j] - expected) <= tolerance,
                    $"Covariance [{i}, {j}] is {covariance[i, j]}; expected {expected} within {tolerance}.");
            }
        }
    }

    [Fact]
    public void ProjectCentersFittedData()
    {
        float[] data = CreateCorrelatedData(Count, seed: 6);
        PrincipalComponents pca = PrincipalComponents.Fit(data, Count, Dimension);
        float[] projected = new float[Count * 2];

        pca.Project(data, Count, projected, 2);

        for (int k = 0; k < 2; k++)
        {
            double mean = Enumerable.Range(0, Count).Average(example => (double)projected[example * 2 + k]);
            Assert.Equal(0.0, mean, 1e-5);
        }
    }

    [Fact]
    public void ZcaWhitenGivesIdentityCovariance()
    {
        float[] data = CreateCorrelatedData(Count, seed: 7);
        PrincipalComponents pca = PrincipalComponents.Fit(data, Count, Dimension);
        float[] whitened = new float[Count * Dimension];

        pca.ZcaWhiten(data, Count, whitened, Dimension, epsilon: 0.0);

        AssertIdentity(Covariance(whitened, Count, Dimension), WhiteningTolerance);
    }

    [Fact]
    public void ZcaWhitenIsSymmetricTransform()
    {
        // ZCA multiplies the centered input by the symmetric W = V Λ^(-1/2) Vᵀ, so the j-th output of the unit
        // vector e_i + μ equals the i-th output of e_j + μ.
        float[] data = CreateCorrelatedData(Count, seed: 8);
        PrincipalComponents pca = PrincipalComponents.Fit(data, Count, Dimension);
        float[] probes = new float[Dimension * Dimension];
        for (int i = 0; i < Dimension; i++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                probes[i * Dimension + j] = (float)(pca.Mean[j] + (i == j ? 1.0 : 0.0));
            }
        }

        float[] output = new float[Dimension * Dimension];
        pca.ZcaWhiten(probes, Dimension, output, Dimension, epsilon: 0.0);

        // The probes carry float rounding of the mean (up to 100 x 2^-24 = 6e-6) times entries of W (below 3).
        for (int i = 0; i < Dimension; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(output[i * Dimension + j], output[j * Dimension + i], 1e-4);
            }
        }
    }

    [Fact]
    public void FittedTransformAppliesToNewData()
    {
        float[] train = CreateCorrelatedData(Count, seed: 9);
        float[] test = CreateCorrelatedData(10, seed: 10);
        PrincipalComponents pca = PrincipalComponents.Fit(train, Count, Dimension);
        float[] projected = new float[10 * 3];

        pca.Whiten(test, 10, projected, 3, epsilon: 0.1);

        for (int example = 0; example < 10; example++)
        {
            for (int k = 0; k < 3; k++)
            {
                double expected = 0.0;
                for (int i = 0; i < Dimension; i++)
                {
                    expected += pca.GetComponent(k)[i] * (test[example * Dimension + i] - pca.Mean[i]);
                }

                expected /= Math.Sqrt(pca.Eigenvalues[k] + 0.1);
                Assert.Equal(expected, projected[example * 3 + k], 1e-5);
            }
        }
    }

    [Fact]
    public void RankDeficientDataHasZeroEigenvalue()
    {
        // The third coordinate is the sum of the first two, so the covariance has rank 2.
        var random = new DeterministicRandom(11UL);
        const int N = 500;
        var data = new float[N * 3];
        for (int example = 0; example < N; example++)
        {
            float a = (float)random.NextGaussian();
            float b = (float)random.NextGaussian();
            data[example * 3] = a;
            data[example * 3 + 1] = b;
            data[example * 3 + 2] = a + b;
        }

        PrincipalComponents pca = PrincipalComponents.Fit(data, N, 3);

        // a + b is rounded to float, so the third eigenvalue is that rounding's variance, about 1e-15.
        Assert.InRange(pca.Eigenvalues[2], 0.0, 1e-12);
        Assert.InRange(pca.ExplainedVarianceRatio[0] + pca.ExplainedVarianceRatio[1], 1.0 - 1e-12, 1.0 + 1e-12);
    }

    [Fact]
    public void ZeroEigenvalueWhitenRejected()
    {
        // The second coordinate is constant, so one eigenvalue is exactly 0.
        float[] data = [1f, 5f, 2f, 5f, 4f, 5f];
        PrincipalComponents pca = PrincipalComponents.Fit(data, 3, 2);
        Assert.Equal(0.0, pca.Eigenvalues[1]);

        var exception = Assert.Throws<ArgumentException>(() => pca.Whiten(data, 3, new float[6], 2, epsilon: 0.0));

        Assert.Contains("Component 1 has eigenvalue 0", exception.Message);
        Assert.Contains("Keep at most 1 components or pass a positive epsilon", exception.Message);
    }

    [Fact]
    public void SingleExampleRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => PrincipalComponents.Fit([1f, 2f, 3f], 1, 3));

        Assert.Equal("count", exception.ParamName);
        Assert.Contains("count is 1; PCA needs at least 2 examples", exception.Message);
    }

    [Fact]
    public void DimensionMismatchRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => PrincipalComponents.Fit(new float[10], 3, 4));

        Assert.Contains("data has 10 values; expected 12 (count 3 x dimension 4)", exception.Message);
    }

    [Fact]
    public void NaNInputRejected()
    {
        float[] data = CreateCorrelatedData(5, seed: 12);
        data[1 * Dimension + 2] = float.NaN;

        var exception = Assert.Throws<ArgumentException>(() => PrincipalComponents.Fit(data, 5, Dimension));

        Assert.Contains("data[8] (example 1, position 2) is NaN", exception.Message);
    }

    [Fact]
    public void IdenticalExamplesRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => PrincipalComponents.Fit([1f, 2f, 1f, 2f, 1f, 2f], 3, 2));

        Assert.Contains("All 3 examples in data are identical", exception.Message);
    }

    [Fact]
    public void TransformNaNInputRejected()
    {
        PrincipalComponents pca = PrincipalComponents.Fit(CreateCorrelatedData(100, seed: 13), 100, Dimension);
        float[] input = new float[2 * Dimension];
        input[Dimension + 5] = float.PositiveInfinity;

        var exception = Assert.Throws<ArgumentException>(() => pca.Project(input, 2, new float[4], 2));

        Assert.Contains("input[11] (example 1, position 5) is", exception.Message);
        Assert.Contains("expected a finite value", exception.Message);
    }

    [Fact]
    public void TransformDimensionMismatchRejected()
    {
        PrincipalComponents pca = PrincipalComponents.Fit(CreateCorrelatedData(100, seed: 14), 100, Dimension);

        var exception = Assert.Throws<ArgumentException>(() => pca.Project(new float[10], 2, new float[4], 2));

        Assert.Contains("input has 10 values; expected 12", exception.Message);
    }

    [Fact]
    public void TransformOutputLengthRejected()
    {
        PrincipalComponents pca = PrincipalComponents.Fit(CreateCorrelatedData(100, seed: 15), 100, Dimension);

        var exception = Assert.Throws<ArgumentException>(
            () => pca.ZcaWhiten(new float[2 * Dimension], 2, new float[4], 2, epsilon: 0.0));

        Assert.Contains("output has 4 values; expected 12", exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Dimension + 1)]
    public void ComponentCountOutOfRangeRejected(int components)
    {
        PrincipalComponents pca = PrincipalComponents.Fit(CreateCorrelatedData(100, seed: 16), 100, Dimension);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => pca.Project(new float[Dimension], 1, new float[Math.Max(components, 1)], components));

        Assert.Equal("components", exception.ParamName);
        Assert.Contains($"expected a number from 1 to Dimension = {Dimension}", exception.Message);
    }

    [Theory]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    public void InvalidEpsilonRejected(double epsilon)
    {
        PrincipalComponents pca = PrincipalComponents.Fit(CreateCorrelatedData(100, seed: 17), 100, Dimension);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => pca.Whiten(new float[Dimension], 1, new float[2], 2, epsilon));

        Assert.Equal("epsilon", exception.ParamName);
    }

    [FashionMnistFact]
    public void FashionMnistWhitenedCovarianceIsIdentity()
    {
        const int Images = 2000;
        const int Components = 50;
        MnistSplit train = FashionMnistFiles.Load(FashionMnistFiles.DebianDirectory).Train;
        ReadOnlySpan<float> images = train.Images.AsSpan(0, Images * train.ImageSize);

        var stopwatch = Stopwatch.StartNew();
        PrincipalComponents pca = PrincipalComponents.Fit(images, Images, train.ImageSize);
        stopwatch.Stop();
        _output.WriteLine(
            $"PCA fit of {Images} images of dimension {train.ImageSize}: {stopwatch.Elapsed.TotalSeconds:F2} s; " +
            $"top {Components} components explain {pca.ExplainedVarianceRatio[..Components].ToArray().Sum():P1} of the variance.");

        float[] whitened = new float[Images * Components];
        pca.Whiten(images, Images, whitened, Components, epsilon: 0.0);

        // Eigenvalue 50 is about 190 times smaller than eigenvalue 1 on this data, so the eigensolver's error
        // relative to the largest eigenvalue (1e-13) stays far below the float rounding of the outputs (1e-7).
        AssertIdentity(Covariance(whitened, Images, Components), WhiteningTolerance);
        Assert.InRange(MaxOrthonormalityError(pca.Components, train.ImageSize), 0.0, 1e-12);
    }
}

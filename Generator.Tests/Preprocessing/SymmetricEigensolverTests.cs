using ModelCompiler.Preprocessing;
using ModelCompiler.Training;
using Xunit;
using static ModelCompiler.Tests.Preprocessing.LinearAlgebraTestData;

namespace ModelCompiler.Tests.Preprocessing;

public class SymmetricEigensolverTests
{
    // Both stages of the solver apply only orthogonal transformations, so its results are exact for a matrix
    // A + E with ‖E‖ a small multiple of n ε ‖A‖. By Weyl's inequality each eigenvalue is then off by at most ‖E‖,
    // and each residual ‖A v - λ v‖ is of the same size. The tolerances allow 10 n ε ‖A‖, with the Frobenius norm
    // for ‖A‖. Measured errors are at least 10 times smaller.
    private static double Tolerance(int n, double norm) => 10 * n * MachineEpsilon * Math.Max(norm, 1.0);

    private static void AssertDecomposition(double[] a, int n, double[] expectedEigenvalues)
    {
        SymmetricEigendecomposition result = SymmetricEigensolver.Decompose(a, n);
        double tolerance = Tolerance(n, FrobeniusNorm(a));
        double[] expectedDescending = expectedEigenvalues.OrderByDescending(value => value).ToArray();

        Assert.Equal(n, result.Order);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(expectedDescending[k], result.Eigenvalues[k], tolerance);
        }

        Assert.InRange(MaxResidual(a, result.Eigenvalues, result.Eigenvectors, n), 0.0, tolerance);
        Assert.InRange(MaxOrthonormalityError(result.Eigenvectors, n), 0.0, 10 * n * MachineEpsilon);
    }

    [Fact]
    public void DiagonalGivesUnitVectors()
    {
        double[] diagonal = [3.0, -1.0, 5.0, 0.0, 2.0];
        int n = diagonal.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] = diagonal[i];
        }

        SymmetricEigendecomposition result = SymmetricEigensolver.Decompose(a, n);

        Assert.Equal([5.0, 3.0, 2.0, 0.0, -1.0], result.Eigenvalues.ToArray());
        int[] expectedPositions = [2, 0, 4, 3, 1];
        for (int k = 0; k < n; k++)
        {
            double[] expected = new double[n];
            expected[expectedPositions[k]] = 1.0;
            Assert.Equal(expected, result.GetEigenvector(k).ToArray());
        }
    }

    [Fact]
    public void TwoByTwoByHand()
    {
        // [[2, 1], [1, 2]] has eigenvalue 3 with (1, 1) / sqrt 2 and eigenvalue 1 with (1, -1) / sqrt 2. Both
        // entries tie in magnitude, so the sign rule makes the first entry positive.
        double[] a = [2.0, 1.0, 1.0, 2.0];

        SymmetricEigendecomposition result = SymmetricEigensolver.Decompose(a, 2);

        double root = Math.Sqrt(0.5);
        Assert.Equal(3.0, result.Eigenvalues[0], 1e-15);
        Assert.Equal(1.0, result.Eigenvalues[1], 1e-15);
        Assert.Equal(root, result.GetEigenvector(0)[0], 1e-15);
        Assert.Equal(root, result.GetEigenvector(0)[1], 1e-15);
        Assert.Equal(root, result.GetEigenvector(1)[0], 1e-15);
        Assert.Equal(-root, result.GetEigenvector(1)[1], 1e-15);
    }

    [Fact]
    public void OneByOne()
    {
        SymmetricEigendecomposition result = SymmetricEigensolver.Decompose([-4.5], 1);

        Assert.Equal(-4.5, result.Eigenvalues[0]);
        Assert.Equal(1.0, result.GetEigenvector(0)[0]);
    }

    [Fact]
    public void ZeroMatrixGivesZeros()
    {
        var a = new double[16];

        AssertDecomposition(a, 4, [0.0, 0.0, 0.0, 0.0]);
    }

    [Theory]
    [InlineData(3, 1UL)]
    [InlineData(10, 2UL)]
    [InlineData(50, 3UL)]
    [InlineData(120, 4UL)]
    public void RotatedDiagonalRecovered(int n, ulong seed)
    {
        // Eigenvalues spread over [-n/2, n/2) with both signs, none repeated.
        double[] eigenvalues = Enumerable.Range(0, n).Select(i => i - n / 2.0 + 0.25).ToArray();
        double[] q = CreateRandomOrthogonal(n, seed);
        double[] a = CreateRotatedDiagonal(eigenvalues, q);

        AssertDecomposition(a, n, eigenvalues);

        // Distinct eigenvalues have one-dimensional eigenspaces, so each computed eigenvector equals the
        // corresponding row of Q up to sign. Its error is about ‖E‖ divided by the gap to the nearest eigenvalue, 1.
        SymmetricEigendecomposition result = SymmetricEigensolver.Decompose(a, n);
        double tolerance = Tolerance(n, FrobeniusNorm(a));
        for (int k = 0; k < n; k++)
        {
            int row = Array.IndexOf(eigenvalues, eigenvalues.OrderByDescending(value => value).ElementAt(k));
            double alignment = 0.0;
            for (int j = 0; j < n; j++)
            {
                alignment += result.GetEigenvector(k)[j] * q[row * n + j];
            }

            Assert.Equal(1.0, Math.Abs(alignment), tolerance);
        }
    }

    [Fact]
    public void RepeatedEigenvaluesRecovered()
    {
        double[] eigenvalues = [4.0, 4.0, 4.0, 1.0, 1.0, -2.0, 0.0, 0.0, 7.5, 4.0];
        double[] a = CreateRotatedDiagonal(eigenvalues, CreateRandomOrthogonal(eigenvalues.Length, 5UL));

        AssertDecomposition(a, eigenvalues.Length, eigenvalues);
    }

    [Fact]
    public void ClusteredEigenvaluesRecovered()
    {
        // Eigenvalues 1 + i x 1e-10 are distinct but nearly equal, so the QR iteration must still separate them.
        double[] eigenvalues = Enumerable.Range(0, 12).Select(i => 1.0 + i * 1e-10).ToArray();
        double[] a = CreateRotatedDiagonal(eigenvalues, CreateRandomOrthogonal(eigenvalues.Length, 6UL));

        AssertDecomposition(a, eigenvalues.Length, eigenvalues);
    }

    [Fact]
    public void WideScaleRangeRecovered()
    {
        // Eigenvalues from 1e-8 to 1e8: small ones are only accurate relative to ‖A‖, as the tolerance allows.
        double[] eigenvalues = Enumerable.Range(0, 17).Select(i => Math.Pow(10, i - 8)).ToArray();
        double[] a = CreateRotatedDiagonal(eigenvalues, CreateRandomOrthogonal(eigenvalues.Length, 7UL));

        AssertDecomposition(a, eigenvalues.Length, eigenvalues);
    }

    [Fact]
    public void LaplacianTridiagonalRecovered()
    {
        // The n x n matrix with 2 on the diagonal and -1 beside it has eigenvalues 2 - 2 cos(k π / (n + 1)), k = 1..n.
        const int N = 40;
        var a = new double[N * N];
        for (int i = 0; i < N; i++)
        {
            a[i * N + i] = 2.0;
            if (i + 1 < N)
            {
                a[i * N + i + 1] = -1.0;
                a[(i + 1) * N + i] = -1.0;
            }
        }

        double[] expected = Enumerable.Range(1, N).Select(k => 2.0 - 2.0 * Math.Cos(k * Math.PI / (N + 1))).ToArray();

        AssertDecomposition(a, N, expected);
    }

    [Fact]
    public void RandomSymmetricHasSmallResiduals()
    {
        const int N = 200;
        var random = new DeterministicRandom(8UL);
        var a = new double[N * N];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double value = random.NextGaussian();
                a[i * N + j] = value;
                a[j * N + i] = value;
            }
        }

        SymmetricEigendecomposition result = SymmetricEigensolver.Decompose(a, N);

        double tolerance = Tolerance(N, FrobeniusNorm(a));
        Assert.InRange(MaxResidual(a, result.Eigenvalues, result.Eigenvectors, N), 0.0, tolerance);
        Assert.InRange(MaxOrthonormalityError(result.Eigenvectors, N), 0.0, 10 * N * MachineEpsilon);

        // The trace is the sum of the eigenvalues.
        double trace = Enumerable.Range(0, N).Sum(i => a[i * N + i]);
        Assert.Equal(trace, result.Eigenvalues.ToArray().Sum(), tolerance);
        for (int k = 1; k < N; k++)
        {
            Assert.True(result.Eigenvalues[k - 1] >= result.Eigenvalues[k], $"Eigenvalues {k - 1} and {k} are out of order.");
        }
    }

    [Fact]
    public void UpperTriangleIgnored()
    {
        double[] eigenvalues = [3.0, 1.0, -1.0, 0.5];
        int n = eigenvalues.Length;
        double[] a = CreateRotatedDiagonal(eigenvalues, CreateRandomOrthogonal(n, 9UL));
        double[] lowerOnly = (double[])a.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                lowerOnly[i * n + j] = 1e6;
            }
        }

        SymmetricEigendecomposition expected = SymmetricEigensolver.Decompose(a, n);
        SymmetricEigendecomposition actual = SymmetricEigensolver.Decompose(lowerOnly, n);

        Assert.Equal(expected.Eigenvalues.ToArray(), actual.Eigenvalues.ToArray());
        Assert.Equal(expected.Eigenvectors.ToArray(), actual.Eigenvectors.ToArray());
    }

    [Fact]
    public void LargestEntryOfEachEigenvectorPositive()
    {
        double[] eigenvalues = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        double[] a = CreateRotatedDiagonal(eigenvalues, CreateRandomOrthogonal(eigenvalues.Length, 10UL));

        SymmetricEigendecomposition result = SymmetricEigensolver.Decompose(a, eigenvalues.Length);

        for (int k = 0; k < eigenvalues.Length; k++)
        {
            double[] vector = result.GetEigenvector(k).ToArray();
            double largest = vector.MaxBy(Math.Abs);
            Assert.True(largest > 0, $"Eigenvector {k} has its largest entry {largest} negative.");
        }
    }

    [Fact]
    public void WrongLengthRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => SymmetricEigensolver.Decompose(new double[10], 3));

        Assert.Contains("matrix has 10 values; expected order^2 = 9", exception.Message);
    }

    [Fact]
    public void NaNEntryRejected()
    {
        double[] a = [1.0, 0.0, 0.0, double.NaN, 1.0, 0.0, 0.0, 0.0, 1.0];

        var exception = Assert.Throws<ArgumentException>(() => SymmetricEigensolver.Decompose(a, 3));

        Assert.Contains("matrix[1, 0] is NaN", exception.Message);
    }

    [Fact]
    public void NonPositiveOrderRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigensolver.Decompose([], 0));

        Assert.Equal("order", exception.ParamName);
    }
}

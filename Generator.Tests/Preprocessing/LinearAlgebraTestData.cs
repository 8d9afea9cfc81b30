using ModelCompiler.Training;

namespace ModelCompiler.Tests.Preprocessing;

/// <summary>Matrices with known eigendecompositions and helpers to check one, all row-major in double.</summary>
internal static class LinearAlgebraTestData
{
    public const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Returns a random n x n orthogonal matrix: Gram-Schmidt orthonormalization, applied twice for accuracy, of
    /// the rows of a matrix with standard normal entries.
    /// </summary>
    public static double[] CreateRandomOrthogonal(int n, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var q = new double[n * n];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = random.NextGaussian();
        }

        for (int row = 0; row < n; row++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int previous = 0; previous < row; previous++)
                {
                    double projection = Dot(q, row, q, previous, n);
                    for (int j = 0; j < n; j++)
                    {
                        q[row * n + j] -= projection * q[previous * n + j];
                    }
                }
            }

            double norm = Math.Sqrt(Dot(q, row, q, row, n));
            for (int j = 0; j < n; j++)
            {
                q[row * n + j] /= norm;
            }
        }

        return q;
    }

    /// <summary>Returns Qᵀ diag(eigenvalues) Q, whose eigenvectors are the rows of the orthogonal Q.</summary>
    public static double[] CreateRotatedDiagonal(double[] eigenvalues, double[] q)
    {
        int n = eigenvalues.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0.0;
                for (int k = 0; k < n; k++)
                {
                    sum += q[k * n + i] * eigenvalues[k] * q[k * n + j];
                }

                a[i * n + j] = sum;
            }
        }

        return a;
    }

    /// <summary>Returns the Frobenius norm, an upper bound of the spectral norm.</summary>
    public static double FrobeniusNorm(ReadOnlySpan<double> matrix)
    {
        double sum = 0.0;
        foreach (double value in matrix)
        {
            sum += value * value;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Returns max over k of ‖A v_k - λ_k v_k‖₂, with v_k the k-th row of <paramref name="eigenvectors"/>.</summary>
    public static double MaxResidual(double[] a, ReadOnlySpan<double> eigenvalues, ReadOnlySpan<double> eigenvectors, int n)
    {
        double maxResidual = 0.0;
        for (int k = 0; k < n; k++)
        {
            double sumOfSquares = 0.0;
            for (int i = 0; i < n; i++)
            {
                double av = 0.0;
                for (int j = 0; j < n; j++)
                {
                    av += a[i * n + j] * eigenvectors[k * n + j];
                }

                double residual = av - eigenvalues[k] * eigenvectors[k * n + i];
                sumOfSquares += residual * residual;
            }

            maxResidual = Math.Max(maxResidual, Math.Sqrt(sumOfSquares));
        }

        return maxResidual;
    }

    /// <summary>Returns max |V Vᵀ - I| over all entries, with the eigenvectors as the rows of V.</summary>
    public static double MaxOrthonormalityError(ReadOnlySpan<double> vectors, int n)
    {
        double[] copy = vectors.ToArray();
        double maxError = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = i == j ? 1.0 : 0.0;
                maxError = Math.Max(maxError, Math.Abs(Dot(copy, i, copy, j, n) - expected));
            }
        }

        return maxError;
    }

    private static double Dot(double[] x, int xRow, double[] y, int yRow, int n)
    {
        double sum = 0.0;
        for (int j = 0; j < n; j++)
        {
            sum += x[xRow * n + j] * y[yRow * n + j];
        }

        return sum;
    }
}

namespace ModelCompiler.Preprocessing;

/// <summary>
/// Eigenvalues and orthonormal eigenvectors of a real symmetric matrix A, so that A = V diag(λ) Vᵀ, sorted by
/// decreasing eigenvalue.
/// </summary>
public sealed class SymmetricEigendecomposition
{
    private readonly double[] _eigenvalues;
    private readonly double[] _eigenvectors;

    internal SymmetricEigendecomposition(int order, double[] eigenvalues, double[] eigenvectors)
    {
        Order = order;
        _eigenvalues = eigenvalues;
        _eigenvectors = eigenvectors;
    }

    /// <summary>Number of rows and columns of the decomposed matrix.</summary>
    public int Order { get; }

    /// <summary>Eigenvalues, largest first. Repeated eigenvalues appear once per multiplicity.</summary>
    public ReadOnlySpan<double> Eigenvalues => _eigenvalues;

    /// <summary>
    /// Unit eigenvectors as rows of an <see cref="Order"/> x <see cref="Order"/> row-major matrix: row k belongs to
    /// <c>Eigenvalues[k]</c>. The rows are mutually orthogonal. Each row's sign, and the basis within the space of
    /// a repeated eigenvalue, are arbitrary.
    /// </summary>
    public ReadOnlySpan<double> Eigenvectors => _eigenvectors;

    // The eigenvector array itself, for callers in this assembly that keep it without copying.
    internal double[] EigenvectorArray => _eigenvectors;

    /// <summary>Returns the unit eigenvector of <c>Eigenvalues[index]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Order).</exception>
    public ReadOnlySpan<double> GetEigenvector(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Order);
        return _eigenvectors.AsSpan(index * Order, Order);
    }
}

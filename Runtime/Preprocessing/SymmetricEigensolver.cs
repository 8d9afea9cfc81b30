namespace ModelCompiler.Preprocessing;

/// <summary>
/// Eigendecomposition of real symmetric matrices in double precision, by Householder reduction to tridiagonal
/// form followed by the implicit symmetric QR algorithm with Wilkinson shifts.
/// </summary>
/// <remarks>
/// Both stages apply orthogonal transformations only, so the computed eigenvalues are those of a matrix within
/// a small multiple of machine epsilon x ‖A‖ of A, and the eigenvectors are orthonormal to about the same
/// accuracy. The cost is an estimated 10 n^3 floating-point operations for order n, most of them in rotating the
/// eigenvectors, and the working memory is 2 n^2 doubles besides the input and the result.
/// </remarks>
public static class SymmetricEigensolver
{
    // Unit roundoff of double, 2^-52.
    private const double MachineEpsilon = 2.220446049250313e-16;

    // A Wilkinson-shifted QR iteration usually isolates an eigenvalue in 2 or 3 sweeps. Reaching this many sweeps
    // without a new eigenvalue means the input defeats the method, which this code reports instead of looping.
    private const int MaxSweepsPerEigenvalue = 60;

    /// <summary>
    /// Computes the eigenvalues and unit eigenvectors of the symmetric <paramref name="order"/> x
    /// <paramref name="order"/> row-major <paramref name="matrix"/>, sorted by decreasing eigenvalue.
    /// </summary>
    /// <remarks>
    /// Only the lower triangle, diagonal included, is read. The upper triangle is taken to mirror it, so a matrix
    /// that is symmetric only up to rounding gives the decomposition of its lower triangle's symmetric completion.
    /// Each eigenvector's sign is chosen so that its entry of largest magnitude is positive, the first such entry
    /// on ties.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="matrix"/> is not order^2, or an entry of the lower triangle is NaN or infinite.
    /// </exception>
    /// <exception cref="InvalidOperationException">The QR iteration did not converge, which finite input should not cause.</exception>
    public static SymmetricEigendecomposition Decompose(ReadOnlySpan<double> matrix, int order)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(order);
        long expectedLength = (long)order * order;
        if (matrix.Length != expectedLength)
        {
            throw new ArgumentException(
                $"matrix has {matrix.Length} values; expected order^2 = {expectedLength} for order {order}.",
                nameof(matrix));
        }

        int n = order;
        var work = new double[n * n];
        for (int row = 0; row < n; row++)
        {
            for (int column = 0; column <= row; column++)
            {
                double value = matrix[row * n + column];
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException(
                        $"matrix[{row}, {column}] is {value}; expected a finite value.",
                        nameof(matrix));
                }

                work[row * n + column] = value;
                work[column * n + row] = value;
            }
        }

        var diagonal = new double[n];
        var offDiagonal = new double[Math.Max(n - 1, 1)];
        double[] eigenvectorRows = ReduceToTridiagonal(work, n, diagonal, offDiagonal);
        DiagonalizeTridiagonal(diagonal, offDiagonal, eigenvectorRows, n);
        return SortDescending(diagonal, eigenvectorRows, n);
    }

    /// <summary>
    /// Reduces the symmetric matrix <paramref name="a"/> to a tridiagonal T = Qᵀ A Q by n - 2 Householder
    /// reflections and returns Qᵀ, row-major. T's diagonal goes to <paramref name="diagonal"/> and its
    /// superdiagonal to <paramref name="offDiagonal"/>. Row k of <paramref name="a"/> is overwritten by the k-th
    /// Householder vector.
    /// </summary>
    private static double[] ReduceToTridiagonal(double[] a, int n, double[] diagonal, double[] offDiagonal)
    {
        var betas = new double[n];
        var p = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            diagonal[k] = a[k * n + k];

            // Column k below the diagonal equals row k right of it, which is contiguous. It becomes the
            // Householder vector v in place.
            int m = n - k - 1;
            Span<double> v = a.AsSpan(k * n + k + 1, m);

            // Scaling by the largest entry keeps the squares below from overflowing or underflowing. The
            // reflection P = I - beta v vᵀ with beta = 2 / vᵀv does not depend on the scale of v.
            double scale = 0.0;
            foreach (double value in v)
            {
                scale = Math.Max(scale, Math.Abs(value));
            }

            if (scale == 0.0)
            {
                offDiagonal[k] = 0.0;
                continue;
            }

            for (int i = 0; i < m; i++)
            {
                v[i] /= scale;
            }

            double x0 = v[0];
            double tailSquares = DoubleVectors.Dot(v.Slice(1), v.Slice(1));
            if (tailSquares == 0.0)
            {
                // The column is already zero below the subdiagonal, so no reflection is needed.
                offDiagonal[k] = x0 * scale;
                continue;
            }

            // P x = alpha e1 with |alpha| = ‖x‖. The sign opposite to x0 makes v0 = x0 - alpha a sum of two terms of
            // the same sign, which avoids cancellation.
            double norm = Math.Sqrt(x0 * x0 + tailSquares);
            double alpha = x0 >= 0.0 ? -norm : norm;
            v[0] = x0 - alpha;
            double beta = 2.0 / (v[0] * v[0] + tailSquares);
            offDiagonal[k] = alpha * scale;
            betas[k] = beta;

            // Trailing block B (rows and columns k+1..n-1) becomes P B P = B - v wᵀ - w vᵀ, with p = beta B v and
            // w = p - (beta / 2)(vᵀp) v. Both triangles are updated, so every row stays contiguous.
            for (int i = 0; i < m; i++)
            {
                p[i] = beta * DoubleVectors.Dot(a.AsSpan((k + 1 + i) * n + k + 1, m), v);
            }

            Span<double> w = p.AsSpan(0, m);
            double correction = 0.5 * beta * DoubleVectors.Dot(v, w);
            DoubleVectors.AddScaled(w, -correction, v);
            for (int i = 0; i < m; i++)
            {
                DoubleVectors.SubtractTwoScaled(a.AsSpan((k + 1 + i) * n + k + 1, m), v[i], w, w[i], v);
            }
        }

        if (n >= 2)
        {
            diagonal[n - 2] = a[(n - 2) * n + n - 2];
            offDiagonal[n - 2] = a[(n - 1) * n + n - 2];
        }

        diagonal[n - 1] = a[(n - 1) * n + n - 1];
        return AccumulateReflections(a, betas, n);
    }

    /// <summary>
    /// Returns Qᵀ for Q = P_0 P_1 ... P_{n-3}, from the Householder vectors stored in the rows of
    /// <paramref name="vectors"/>.
    /// </summary>
    /// <remarks>
    /// The product is built from the right, Q = P_0 (P_1 (... P_{n-3})). When P_k is applied, the partial
    /// product is the identity outside rows and columns k+1..n-1, so only that block is touched. That costs
    /// about (4/3) n^3 operations instead of 2 n^3.
    /// </remarks>
    private static double[] AccumulateReflections(double[] vectors, double[] betas, int n)
    {
        var q = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            q[i * n + i] = 1.0;
        }

        var u = new double[n];
        for (int k = n - 3; k >= 0; k--)
        {
            double beta = betas[k];
            if (beta == 0.0)
            {
                continue;
            }

            int m = n - k - 1;
            ReadOnlySpan<double> v = vectors.AsSpan(k * n + k + 1, m);

            // Block rows become rows - beta v uᵀ, with uᵀ = vᵀ (block rows), a combination of rows.
            Span<double> uBlock = u.AsSpan(0, m);
            uBlock.Clear();
            for (int i = 0; i < m; i++)
            {
                DoubleVectors.AddScaled(uBlock, v[i], q.AsSpan((k + 1 + i) * n + k + 1, m));
            }

            for (int i = 0; i < m; i++)
            {
                DoubleVectors.AddScaled(q.AsSpan((k + 1 + i) * n + k + 1, m), -beta * v[i], uBlock);
            }
        }

        Transpose(q, n);
        return q;
    }

    /// <summary>
    /// Diagonalizes the symmetric tridiagonal matrix given by <paramref name="diagonal"/> and
    /// <paramref name="offDiagonal"/> in place, leaving its eigenvalues on the diagonal, and applies every rotation
    /// to the rows of <paramref name="eigenvectorRows"/>.
    /// </summary>
    /// <remarks>
    /// The loop isolates eigenvalues from the bottom. It sets an off-diagonal entry to zero once it is at most
    /// machine epsilon x (|d_k| + |d_{k+1}|), which changes the matrix by no more than rounding would. Then it
    /// runs an implicit QR sweep on the lowest unreduced block.
    /// </remarks>
    private static void DiagonalizeTridiagonal(double[] diagonal, double[] offDiagonal, double[] eigenvectorRows, int n)
    {
        int high = n - 1;
        int sweeps = 0;
        while (high > 0)
        {
            if (IsNegligible(offDiagonal[high - 1], diagonal[high - 1], diagonal[high]))
            {
                offDiagonal[high - 1] = 0.0;
                high--;
                sweeps = 0;
                continue;
            }

            int low = high - 1;
            while (low > 0 && !IsNegligible(offDiagonal[low - 1], diagonal[low - 1], diagonal[low]))
            {
                low--;
            }

            if (low > 0)
            {
                offDiagonal[low - 1] = 0.0;
            }

            if (++sweeps > MaxSweepsPerEigenvalue)
            {
                throw new InvalidOperationException(
                    $"The symmetric QR iteration did not converge: {MaxSweepsPerEigenvalue} sweeps did not isolate " +
                    $"eigenvalue {high} of the {n} x {n} matrix.");
            }

            ApplyQrSweep(diagonal, offDiagonal, eigenvectorRows, n, low, high);
        }
    }

    private static bool IsNegligible(double offDiagonal, double diagonalAbove, double diagonalBelow) =>
        Math.Abs(offDiagonal) <= MachineEpsilon * (Math.Abs(diagonalAbove) + Math.Abs(diagonalBelow));

    /// <summary>
    /// Runs one implicit QR step with Wilkinson shift on the unreduced block low..high of the tridiagonal matrix T.
    /// </summary>
    /// <remarks>
    /// The first rotation, in plane (low, low+1), is the one that a QR step of T - mu I would start with: it turns
    /// the column (d_low - mu, e_low) into (r, 0). Applied as T ← R T Rᵀ, it creates a nonzero "bulge" at
    /// T[low+2, low]. Each next rotation in plane (k, k+1) zeroes the bulge at T[k+1, k-1] and moves it one row
    /// down, until it leaves the block. By the implicit Q theorem, the result equals the explicit shifted QR step.
    /// R is the identity except R[p,p] = R[q,q] = c, R[p,q] = s, R[q,p] = -s, and the eigenvector rows are updated
    /// with the same R.
    /// </remarks>
    private static void ApplyQrSweep(double[] diagonal, double[] offDiagonal, double[] eigenvectorRows, int n, int low, int high)
    {
        double shift = ComputeWilkinsonShift(diagonal[high - 1], diagonal[high], offDiagonal[high - 1]);
        double x = diagonal[low] - shift;
        double z = offDiagonal[low];
        for (int k = low; k < high; k++)
        {
            double r = double.Hypot(x, z);
            double c = 1.0;
            double s = 0.0;
            if (r != 0.0)
            {
                c = x / r;
                s = z / r;
            }

            if (k > low)
            {
                offDiagonal[k - 1] = r;
            }

            // The 2 x 2 block [[a_p, b], [b, a_q]] of planes p = k, q = k+1 becomes R B Rᵀ.
            double ap = diagonal[k];
            double aq = diagonal[k + 1];
            double b = offDiagonal[k];
            double cc = c * c;
            double ss = s * s;
            double cs = c * s;
            diagonal[k] = cc * ap + 2.0 * cs * b + ss * aq;
            diagonal[k + 1] = ss * ap - 2.0 * cs * b + cc * aq;
            offDiagonal[k] = cs * (aq - ap) + (cc - ss) * b;

            if (k + 1 < high)
            {
                // Rotating rows p and q moves s x e_{k+1} into T[k, k+2], which by symmetry is the new bulge.
                double next = offDiagonal[k + 1];
                z = s * next;
                offDiagonal[k + 1] = c * next;
                x = offDiagonal[k];
            }

            DoubleVectors.Rotate(eigenvectorRows.AsSpan(k * n, n), eigenvectorRows.AsSpan((k + 1) * n, n), c, s);
        }
    }

    /// <summary>
    /// Returns the eigenvalue of [[a, b], [b, c]] closer to c, written in a form that avoids cancellation and
    /// overflow of b^2.
    /// </summary>
    private static double ComputeWilkinsonShift(double a, double c, double b)
    {
        double halfDifference = 0.5 * (a - c);
        double root = double.Hypot(halfDifference, b);
        double denominator = halfDifference >= 0.0 ? halfDifference + root : halfDifference - root;
        return c - b * (b / denominator);
    }

    private static SymmetricEigendecomposition SortDescending(double[] eigenvalues, double[] eigenvectorRows, int n)
    {
        int[] order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (i, j) =>
        {
            int byValue = eigenvalues[j].CompareTo(eigenvalues[i]);
            return byValue != 0 ? byValue : i.CompareTo(j);
        });

        var sortedValues = new double[n];
        var sortedVectors = new double[n * n];
        for (int rank = 0; rank < n; rank++)
        {
            int source = order[rank];
            sortedValues[rank] = eigenvalues[source];
            Span<double> row = sortedVectors.AsSpan(rank * n, n);
            eigenvectorRows.AsSpan(source * n, n).CopyTo(row);
            NormalizeSign(row);
        }

        return new SymmetricEigendecomposition(n, sortedValues, sortedVectors);
    }

    private static void NormalizeSign(Span<double> vector)
    {
        int largest = 0;
        for (int i = 1; i < vector.Length; i++)
        {
            if (Math.Abs(vector[i]) > Math.Abs(vector[largest]))
            {
                largest = i;
            }
        }

        if (vector[largest] < 0.0)
        {
            for (int i = 0; i < vector.Length; i++)
            {
                vector[i] = -vector[i];
            }
        }
    }

    private static void Transpose(double[] matrix, int n)
    {
        for (int row = 0; row < n; row++)
        {
            for (int column = row + 1; column < n; column++)
            {
                (matrix[row * n + column], matrix[column * n + row]) = (matrix[column * n + row], matrix[row * n + column]);
            }
        }
    }
}

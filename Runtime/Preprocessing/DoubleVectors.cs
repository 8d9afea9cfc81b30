using System.Numerics;

namespace ModelCompiler.Preprocessing;

/// <summary>SIMD loops over contiguous double spans, shared by the eigensolver and PCA.</summary>
internal static class DoubleVectors
{
    /// <summary>Returns the dot product of two spans of equal length.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int i = 0;
        double sum = 0.0;
        if (Vector.IsHardwareAccelerated && x.Length >= 2 * Vector<double>.Count)
        {
            // Two accumulators hide the latency of the dependent additions.
            var sum0 = Vector<double>.Zero;
            var sum1 = Vector<double>.Zero;
            int width = Vector<double>.Count;
            for (; i <= x.Length - 2 * width; i += 2 * width)
            {
                sum0 += new Vector<double>(x.Slice(i)) * new Vector<double>(y.Slice(i));
                sum1 += new Vector<double>(x.Slice(i + width)) * new Vector<double>(y.Slice(i + width));
            }

            sum = Vector.Sum(sum0 + sum1);
        }

        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>Computes y += alpha x over spans of equal length.</summary>
    public static void AddScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var alphaVector = new Vector<double>(alpha);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (new Vector<double>(y.Slice(i)) + alphaVector * new Vector<double>(x.Slice(i))).CopyTo(y.Slice(i));
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>Computes z -= alpha x + beta y over spans of equal length, the row form of a symmetric rank-2 update.</summary>
    public static void SubtractTwoScaled(Span<double> z, double alpha, ReadOnlySpan<double> x, double beta, ReadOnlySpan<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var alphaVector = new Vector<double>(alpha);
            var betaVector = new Vector<double>(beta);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var result = new Vector<double>(z.Slice(i))
                    - alphaVector * new Vector<double>(x.Slice(i))
                    - betaVector * new Vector<double>(y.Slice(i));
                result.CopyTo(z.Slice(i));
            }
        }

        for (; i < x.Length; i++)
        {
            z[i] -= alpha * x[i] + beta * y[i];
        }
    }

    /// <summary>Replaces (x, y) by (c x + s y, c y - s x), a plane rotation of two rows of equal length.</summary>
    public static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var cVector = new Vector<double>(c);
            var sVector = new Vector<double>(s);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var xValues = new Vector<double>(x.Slice(i));
                var yValues = new Vector<double>(y.Slice(i));
                (cVector * xValues + sVector * yValues).CopyTo(x.Slice(i));
                (cVector * yValues - sVector * xValues).CopyTo(y.Slice(i));
            }
        }

        for (; i < x.Length; i++)
        {
            double xValue = x[i];
            double yValue = y[i];
            x[i] = c * xValue + s * yValue;
            y[i] = c * yValue - s * xValue;
        }
    }
}

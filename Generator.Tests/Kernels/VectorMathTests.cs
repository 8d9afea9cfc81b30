using ModelCompiler.Kernels;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

public class VectorMathTests
{
    /// <summary>Every length up to 70, which crosses the vector widths 4, 8 and 16 and the 4-vector unrolled loops, and a few long ones.</summary>
    public static IEnumerable<int> Lengths => Enumerable.Range(0, 71).Concat([100, 255, 256, 257, 1000]);

    /// <summary>Row or column counts paired with the full sweep of the other dimension.</summary>
    private static readonly int[] FewSizes = [0, 1, 2, 3, 5, 17];

    [Fact]
    public void Dot_LengthSweep_MatchesDoubleReference()
    {
        var random = new Random(11);
        foreach (int length in Lengths)
        {
            float[] x = KernelTestData.RandomFloats(random, length, padding: 3);
            float[] y = KernelTestData.RandomFloats(random, length, padding: 3);

            float got = VectorMath.Dot(x.AsSpan(0, length), y.AsSpan(0, length));

            double expected = 0, magnitude = 0;
            for (int i = 0; i < length; i++)
            {
                expected += (double)x[i] * y[i];
                magnitude += Math.Abs((double)x[i] * y[i]);
            }

            // A product and the additions of its lane, of the partial sums and of the final reduction round at most
            // length + 2 times.
            double bound = KernelTestData.RoundingBound(length + 2, magnitude);
            Assert.True(Math.Abs(got - expected) <= bound, $"Dot length {length}: got {got}, expected {expected}, bound {bound}.");
        }
    }

    [Fact]
    public void Dot_InfinityInAnyPosition_GivesInfinity()
    {
        for (int length = 1; length <= 70; length++)
        {
            for (int p = 0; p < length; p++)
            {
                float[] x = Enumerable.Repeat(1f, length).ToArray();
                float[] y = Enumerable.Repeat(1f, length).ToArray();
                x[p] = float.PositiveInfinity;

                float got = VectorMath.Dot(x, y);

                Assert.True(float.IsPositiveInfinity(got), $"Dot length {length}, infinity at {p}: got {got}.");
            }
        }
    }

    [Fact]
    public void Sum_LengthSweep_MatchesDoubleReference()
    {
        var random = new Random(12);
        foreach (int length in Lengths)
        {
            float[] x = KernelTestData.RandomFloats(random, length, padding: 3);

            float got = VectorMath.Sum(x.AsSpan(0, length));

            double expected = 0, magnitude = 0;
            for (int i = 0; i < length; i++)
            {
                expected += x[i];
                magnitude += Math.Abs(x[i]);
            }

            double bound = KernelTestData.RoundingBound(length + 2, magnitude);
            Assert.True(Math.Abs(got - expected) <= bound, $"Sum length {length}: got {got}, expected {expected}, bound {bound}.");
        }
    }

    [Fact]
    public void Axpy_LengthSweep_MatchesDoubleReference()
    {
        var random = new Random(13);
        foreach (int length in Lengths)
        {
            float alpha = (float)(random.NextDouble() * 4 - 2);
            float[] x = KernelTestData.RandomFloats(random, length, padding: 3);
            float[] y = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);
            float[] initial = (float[])y.Clone();

            VectorMath.Axpy(alpha, x.AsSpan(0, length), y.AsSpan(0, length));

            for (int i = 0; i < length; i++)
            {
                double expected = initial[i] + (double)alpha * x[i];

                // One fused multiply-add rounds once, a separate multiply and add twice.
                double bound = KernelTestData.RoundingBound(2, Math.Abs(initial[i]) + Math.Abs((double)alpha * x[i]));
                Assert.True(
                    Math.Abs(y[i] - expected) <= bound,
                    $"Axpy length {length}: y[{i}] = {y[i]}, expected {expected}, bound {bound}.");
            }

            KernelTestData.AssertSentinelsIntact(y, length, $"Axpy length {length}");
        }
    }

    [Fact]
    public void Axpy_SameSpan_DoublesScaledValues()
    {
        foreach (int length in Lengths)
        {
            float[] y = Enumerable.Range(1, length).Select(i => (float)i).ToArray();

            VectorMath.Axpy(1f, y, y);

            for (int i = 0; i < length; i++)
            {
                Assert.True(y[i] == 2f * (i + 1), $"Axpy in place, length {length}: y[{i}] = {y[i]}, expected {2 * (i + 1)}.");
            }
        }
    }

    [Fact]
    public void AddToRows_SizeSweep_AddsRowValue()
    {
        var random = new Random(14);
        foreach ((int rows, int columns) in MatrixShapes())
        {
            float[] matrix = KernelTestData.RandomFloatsWithSentinels(random, rows * columns, padding: 3);
            float[] values = KernelTestData.RandomFloats(random, rows, padding: 3);
            float[] initial = (float[])matrix.Clone();

            VectorMath.AddToRows(matrix, values, rows, columns);

            // A single float addition is correctly rounded on every path, so the result is exact.
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    float expected = initial[r * columns + c] + values[r];
                    Assert.True(
                        matrix[r * columns + c] == expected,
                        $"AddToRows {rows}x{columns}: [{r}, {c}] = {matrix[r * columns + c]}, expected {expected}.");
                }
            }

            KernelTestData.AssertSentinelsIntact(matrix, rows * columns, $"AddToRows {rows}x{columns}");
        }
    }

    [Fact]
    public void AddToColumns_SizeSweep_AddsColumnValue()
    {
        var random = new Random(15);
        foreach ((int rows, int columns) in MatrixShapes())
        {
            float[] matrix = KernelTestData.RandomFloatsWithSentinels(random, rows * columns, padding: 3);
            float[] values = KernelTestData.RandomFloats(random, columns, padding: 3);
            float[] initial = (float[])matrix.Clone();

            VectorMath.AddToColumns(matrix, values, rows, columns);

            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    float expected = initial[r * columns + c] + values[c];
                    Assert.True(
                        matrix[r * columns + c] == expected,
                        $"AddToColumns {rows}x{columns}: [{r}, {c}] = {matrix[r * columns + c]}, expected {expected}.");
                }
            }

            KernelTestData.AssertSentinelsIntact(matrix, rows * columns, $"AddToColumns {rows}x{columns}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SumRows_SizeSweep_MatchesDoubleReference(bool accumulate)
    {
        var random = new Random(accumulate ? 16 : 17);
        foreach ((int rows, int columns) in MatrixShapes())
        {
            float[] matrix = KernelTestData.RandomFloats(random, rows * columns, padding: 3);
            float[] result = KernelTestData.RandomFloatsWithSentinels(random, rows, padding: 3);
            float[] initial = (float[])result.Clone();

            VectorMath.SumRows(matrix, rows, columns, result, accumulate);

            for (int r = 0; r < rows; r++)
            {
                double expected = accumulate ? initial[r] : 0;
                double magnitude = Math.Abs(expected);
                for (int c = 0; c < columns; c++)
                {
                    expected += matrix[r * columns + c];
                    magnitude += Math.Abs(matrix[r * columns + c]);
                }

                double bound = KernelTestData.RoundingBound(columns + 2, magnitude);
                Assert.True(
                    Math.Abs(result[r] - expected) <= bound,
                    $"SumRows {rows}x{columns} accumulate={accumulate}: result[{r}] = {result[r]}, expected {expected}, bound {bound}.");
            }

            KernelTestData.AssertSentinelsIntact(result, rows, $"SumRows {rows}x{columns}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SumColumns_SizeSweep_MatchesDoubleReference(bool accumulate)
    {
        var random = new Random(accumulate ? 18 : 19);
        foreach ((int rows, int columns) in MatrixShapes())
        {
            float[] matrix = KernelTestData.RandomFloats(random, rows * columns, padding: 3);
            float[] result = KernelTestData.RandomFloatsWithSentinels(random, columns, padding: 3);
            float[] initial = (float[])result.Clone();

            VectorMath.SumColumns(matrix, rows, columns, result, accumulate);

            for (int c = 0; c < columns; c++)
            {
                double expected = accumulate ? initial[c] : 0;
                double magnitude = Math.Abs(expected);
                for (int r = 0; r < rows; r++)
                {
                    expected += matrix[r * columns + c];
                    magnitude += Math.Abs(matrix[r * columns + c]);
                }

                double bound = KernelTestData.RoundingBound(rows + 2, magnitude);
                Assert.True(
                    Math.Abs(result[c] - expected) <= bound,
                    $"SumColumns {rows}x{columns} accumulate={accumulate}: result[{c}] = {result[c]}, expected {expected}, bound {bound}.");
            }

            KernelTestData.AssertSentinelsIntact(result, columns, $"SumColumns {rows}x{columns}");
        }
    }

    [Fact]
    public void DotAndAxpy_LengthMismatch_ThrowWithParameterName()
    {
        float[] x = new float[5], y = new float[4];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => VectorMath.Dot(x, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => VectorMath.Axpy(1f, x, y)).ParamName);
    }

    [Fact]
    public void MatrixOperations_InvalidArguments_ThrowWithParameterName()
    {
        float[] matrix = new float[12], values = new float[4];

        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.AddToRows(matrix, values, -1, 4)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.AddToColumns(matrix, values, 3, -1)).ParamName);

        var shortMatrix = Assert.Throws<ArgumentException>(() => VectorMath.AddToRows(matrix, values, 4, 4));
        Assert.Equal("matrix", shortMatrix.ParamName);
        Assert.Contains("16", shortMatrix.Message);

        Assert.Equal("values", Assert.Throws<ArgumentException>(() => VectorMath.AddToRows(matrix, values, 6, 2)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => VectorMath.AddToColumns(matrix, values, 2, 6)).ParamName);
        Assert.Equal("result", Assert.Throws<ArgumentException>(() => VectorMath.SumRows(matrix, 6, 2, values, false)).ParamName);
        Assert.Equal("result", Assert.Throws<ArgumentException>(() => VectorMath.SumColumns(matrix, 2, 6, values, false)).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => VectorMath.SumColumns(matrix, 4, 4, new float[4], false)).ParamName);
    }

    /// <summary>Every column count up to 70 with a few row counts, and every row count up to 70 with a few column counts.</summary>
    private static IEnumerable<(int Rows, int Columns)> MatrixShapes()
    {
        foreach (int rows in FewSizes)
        {
            for (int columns = 0; columns <= 70; columns++)
            {
                yield return (rows, columns);
            }
        }

        foreach (int columns in FewSizes)
        {
            for (int rows = 0; rows <= 70; rows++)
            {
                yield return (rows, columns);
            }
        }
    }
}

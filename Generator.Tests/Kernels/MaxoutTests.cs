using ModelCompiler.Kernels;
using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

public class MaxoutTests
{
    /// <summary>
    /// Shapes (batchSize, channels, pieces, planeSize): planes of 1 and 3 take the scalar loop; 4, 8, 16 and longer
    /// ones the vector paths, with and without a scalar tail.
    /// </summary>
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 2, 3, 2, 1 },
        { 3, 5, 4, 1 },
        { 2, 2, 3, 3 },
        { 2, 2, 2, 4 },
        { 1, 3, 3, 8 },
        { 2, 2, 5, 16 },
        { 2, 3, 2, 21 },
        { 1, 2, 3, 37 },
        { 2, 1, 1, 9 },
        { 0, 2, 2, 5 },
    };

    /// <summary>
    /// Inputs are small integers mixed with NaN, -0 and +0, so many groups tie or contain NaN. The expected output
    /// is a scan in channel order that replaces the maximum when a value is greater or NaN: the first maximum, and
    /// the last NaN.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Maxout_Shapes_MatchScan(int batchSize, int channels, int pieces, int planeSize)
    {
        var random = new Random(401 + batchSize * 1000 + channels * 100 + pieces * 10 + planeSize);
        int inputLength = batchSize * channels * pieces * planeSize;
        int outputLength = batchSize * channels * planeSize;
        float[] choices = [1f, 2f, 3f, -0f, 0f, float.NaN, -1f];
        float[] x = Enumerable.Range(0, inputLength).Select(_ => choices[random.Next(choices.Length)]).ToArray();
        float[] y = KernelTestData.RandomFloatsWithSentinels(random, outputLength, padding: 2);
        int[] argmax = Enumerable.Repeat(-7, outputLength + 2).ToArray();

        Activations.Maxout(x, y.AsSpan(0, outputLength), argmax.AsSpan(0, outputLength), batchSize, channels, pieces, planeSize);

        for (int n = 0; n < batchSize; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < planeSize; p++)
                {
                    int first = ((n * channels * pieces) + (c * pieces)) * planeSize + p;
                    int best = first;
                    for (int j = 1; j < pieces; j++)
                    {
                        int index = first + j * planeSize;
                        if (x[index] > x[best] || float.IsNaN(x[index]))
                        {
                            best = index;
                        }
                    }

                    int output = (n * channels + c) * planeSize + p;
                    FloatAccuracy.AssertBitwiseEqual(x[best], y[output], $"Maxout output {output}");
                    Assert.Equal(best, argmax[output]);
                }
            }
        }

        KernelTestData.AssertSentinelsIntact(y, outputLength, "Maxout");
        Assert.Equal([-7, -7], argmax[outputLength..]);
    }

    [Fact]
    public void MaxoutBackward_ClearsThenAccumulates()
    {
        float[] dy = [1f, 2f, 3f, 4f];
        int[] argmax = [0, 3, 3, 5];
        float[] dx = [9f, 9f, 9f, 9f, 9f, 9f, 9f];

        Activations.MaxoutBackward(dy, argmax, dx);

        Assert.Equal([1f, 0f, 0f, 5f, 0f, 4f, 0f], dx);
    }

    [Fact]
    public void MaxoutBackward_IndexOutsideDx_Throws()
    {
        float[] dx = [9f, 9f, 9f];

        var exception = Assert.Throws<ArgumentException>(() => Activations.MaxoutBackward([1f, 2f], [0, 3], dx));

        Assert.Equal("argmax", exception.ParamName);
        Assert.Contains("argmax[1] is 3, outside dx, which has 3 elements", exception.Message);
        Assert.Equal([9f, 9f, 9f], dx);
    }

    [Theory]
    [InlineData(3, 2, 2)]
    [InlineData(6, 1, 1)]
    [InlineData(4, 3, 5)]
    public void Maxout_MatchesReferenceInterpreter(int channels, int height, int width)
    {
        const int pieces = 2;
        const int batchSize = 3;
        var shape = new ReferenceShape(channels * pieces, height, width);
        float[] x = FloatAccuracy.Uniform(new Random(402 + channels), batchSize * shape.Size, 3.0);
        OracleResult oracle = ReferenceOracle.Run(new MaxoutLayer(pieces), shape, batchSize, [], x, seed: 403);
        int planeSize = height * width;
        float[] y = new float[batchSize * channels * planeSize];
        int[] argmax = new int[y.Length];
        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);
        float[] dx = new float[x.Length];

        Activations.Maxout(x, y, argmax, batchSize, channels, pieces, planeSize);
        Activations.MaxoutBackward(dy, argmax, dx);

        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(oracle.Output[i], y[i]);
        }

        for (int i = 0; i < x.Length; i++)
        {
            // Each input receives at most one gradient, rounded to float once.
            FloatAccuracy.AssertRoundings(dx[i], oracle.InputGradient[i], 1, $"Maxout input gradient {i}");
        }
    }

    [Fact]
    public void Maxout_InvalidArguments_ThrowWithParameterName()
    {
        float[] x = new float[24], y = new float[12];
        int[] argmax = new int[12];

        Assert.Equal("pieces", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Maxout(x, y, argmax, 2, 3, 0, 2)).ParamName);
        var shortX = Assert.Throws<ArgumentException>(() => Activations.Maxout(x.AsSpan(0, 23), y, argmax, 2, 3, 2, 2));
        Assert.Equal("x", shortX.ParamName);
        Assert.Contains("x has 23 elements, but batchSize * channels * pieces * planeSize = 24 are required", shortX.Message);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Maxout(x, y.AsSpan(0, 11), argmax, 2, 3, 2, 2)).ParamName);
        Assert.Equal("argmax", Assert.Throws<ArgumentException>(() => Activations.Maxout(x, y, argmax.AsSpan(0, 11), 2, 3, 2, 2)).ParamName);
        Assert.Equal("argmax", Assert.Throws<ArgumentException>(() => Activations.MaxoutBackward(y, argmax.AsSpan(0, 11), x)).ParamName);
    }
}

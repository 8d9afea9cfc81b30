using ModelCompiler.Kernels;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

public class PoolingTests
{
    /// <summary>Window sizes and strides: 2 x 2 stride 2 takes the vector path, the rest the scalar one.</summary>
    public static TheoryData<int, int> WindowShapes => new()
    {
        { 2, 2 },
        { 3, 2 },
        { 3, 1 },
        { 2, 1 },
        { 1, 1 },
        { 3, 3 },
        { 4, 2 },
        { 5, 3 },
    };

    /// <summary>
    /// Compares both overloads with a direct scan of each window, over input widths from size to 40. For 2 x 2
    /// windows that gives output widths from 1 to 20, which reach the 4-, 8- and 16-lane paths with and without an
    /// overlapping last block. Inputs are a few small integers mixed with NaN, -0 and +0, so many windows tie or
    /// contain NaN.
    /// </summary>
    [Theory]
    [MemberData(nameof(WindowShapes))]
    public void MaxPool2D_ShapeSweep_MatchesWindowScan(int size, int stride)
    {
        var random = new Random(size * 10 + stride);
        foreach (int planes in new[] { 1, 3 })
        {
            foreach (int height in new[] { size, size + 1, size + 2, 7, 12 })
            {
                for (int width = size; width <= 40; width++)
                {
                    CheckAgainstWindowScan(random, planes, height, width, size, stride);
                }
            }
        }
    }

    [Fact]
    public void MaxPool2D_Ties_ChooseFirstIndex()
    {
        // One plane of 2 x 4 with two windows: all equal, and equal maxima in the second row only.
        float[] input = [5, 5, 1, 2, 5, 5, 7, 7];
        float[] output = new float[2];
        int[] argmax = new int[2];

        Pooling.MaxPool2D(input, output, argmax, 1, 2, 4, 2, 2);

        Assert.Equal([5f, 7f], output);
        Assert.Equal([0, 6], argmax);
    }

    [Fact]
    public void MaxPool2D_NaN_PropagatesLastIndex()
    {
        // Windows: (NaN, 3, NaN, 1), (2, 8, 4, NaN) and (1, 2, 3, 4).
        float[] input = [float.NaN, 3, 2, 8, 1, 2, float.NaN, 1, 4, float.NaN, 3, 4];
        float[] output = new float[3];
        float[] inferenceOutput = new float[3];
        int[] argmax = new int[3];

        Pooling.MaxPool2D(input, output, argmax, 1, 2, 6, 2, 2);
        Pooling.MaxPool2D(input, inferenceOutput, 1, 2, 6, 2, 2);

        Assert.True(float.IsNaN(output[0]), $"window 0 output {output[0]}, expected NaN.");
        Assert.True(float.IsNaN(output[1]), $"window 1 output {output[1]}, expected NaN.");
        Assert.Equal(4f, output[2]);
        Assert.Equal([6, 9, 11], argmax);
        Assert.True(float.IsNaN(inferenceOutput[0]), $"inference window 0 output {inferenceOutput[0]}, expected NaN.");
        Assert.True(float.IsNaN(inferenceOutput[1]), $"inference window 1 output {inferenceOutput[1]}, expected NaN.");
        Assert.Equal(4f, inferenceOutput[2]);
    }

    [Fact]
    public void MaxPool2D_SignedZeros_KeepFirst()
    {
        // Windows: (-0, +0, -1, -1) and (+0, -0, -1, -1); equal zeros tie, so the first one's sign survives.
        float[] input = [-0f, 0f, 0f, -0f, -1, -1, -1, -1];
        float[] output = new float[2];
        float[] inferenceOutput = new float[2];
        int[] argmax = new int[2];

        Pooling.MaxPool2D(input, output, argmax, 1, 2, 4, 2, 2);
        Pooling.MaxPool2D(input, inferenceOutput, 1, 2, 4, 2, 2);

        Assert.True(float.IsNegative(output[0]), "window 0 should output -0.");
        Assert.False(float.IsNegative(output[1]), "window 1 should output +0.");
        Assert.Equal([0, 2], argmax);
        Assert.True(float.IsNegative(inferenceOutput[0]), "inference window 0 should output -0.");
        Assert.False(float.IsNegative(inferenceOutput[1]), "inference window 1 should output +0.");
    }

    [Fact]
    public void MaxPool2DBackward_OverlappingWindows_AccumulateGradients()
    {
        // 3 x 3 windows with stride 2 on a 5 x 5 plane share the middle row and column. The maximum 100 sits at
        // (2, 2), inside all four windows, so it receives the sum of the four output gradients.
        float[] input = new float[25];
        for (int i = 0; i < 25; i++)
        {
            input[i] = i;
        }

        input[12] = 100;
        float[] output = new float[4];
        int[] argmax = new int[4];
        Pooling.MaxPool2D(input, output, argmax, 1, 5, 5, 3, 2);
        Assert.Equal([12, 12, 12, 12], argmax);

        float[] dInput = new float[25];
        dInput.AsSpan().Fill(KernelTestData.Sentinel);
        Pooling.MaxPool2DBackward([1f, 2f, 4f, 8f], argmax, dInput);

        for (int i = 0; i < 25; i++)
        {
            Assert.Equal(i == 12 ? 15f : 0f, dInput[i]);
        }
    }

    [Theory]
    [MemberData(nameof(WindowShapes))]
    public void MaxPool2DBackward_ShapeSweep_MatchesScatter(int size, int stride)
    {
        var random = new Random(100 + size * 10 + stride);
        const int planes = 2, height = 11;
        for (int width = size; width <= 24; width++)
        {
            int outHeight = (height - size) / stride + 1;
            int outWidth = (width - size) / stride + 1;
            float[] input = KernelTestData.RandomFloats(random, planes * height * width);
            float[] output = new float[planes * outHeight * outWidth];
            int[] argmax = new int[output.Length];
            Pooling.MaxPool2D(input, output, argmax, planes, height, width, size, stride);

            float[] dOutput = KernelTestData.RandomFloats(random, output.Length);
            float[] dInput = KernelTestData.RandomFloats(random, input.Length + 3);
            Pooling.MaxPool2DBackward(dOutput, argmax, dInput);

            // Expected: the sum, in output order, of the gradients routed to each input. Float sums in the same
            // order as the kernel's loop are exact matches.
            float[] expected = new float[dInput.Length];
            for (int i = 0; i < dOutput.Length; i++)
            {
                expected[argmax[i]] += dOutput[i];
            }

            Assert.Equal(expected, dInput);
        }
    }

    [Fact]
    public void MaxPool2DBackward_InvalidIndex_Throws()
    {
        float[] dInput = [1, 2, 3, 4];

        var outside = Assert.Throws<ArgumentException>(() => Pooling.MaxPool2DBackward([1f, 1f], [0, 4], dInput));
        Assert.Equal("argmax", outside.ParamName);
        Assert.Contains("argmax[1] is 4", outside.Message);
        Assert.Equal([1f, 2, 3, 4], dInput);

        Assert.Equal("argmax", Assert.Throws<ArgumentException>(() => Pooling.MaxPool2DBackward([1f, 1f], [-1, 0], dInput)).ParamName);
        Assert.Equal("argmax", Assert.Throws<ArgumentException>(() => Pooling.MaxPool2DBackward([1f, 1f], [0], dInput)).ParamName);
    }

    [Fact]
    public void MaxPool2D_InvalidArguments_Throw()
    {
        float[] input = new float[2 * 4 * 4], output = new float[2 * 2 * 2];
        int[] argmax = new int[8];

        Assert.Equal("planes", Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2D(input, output, -1, 4, 4, 2, 2)).ParamName);
        Assert.Equal("height", Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2D(input, output, 2, -4, 4, 2, 2)).ParamName);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2D(input, output, 2, 4, -4, 2, 2)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2D(input, output, 2, 4, 4, 0, 2)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2D(input, output, 2, 4, 4, 5, 2)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2D(input, output, 2, 4, 4, 2, 0)).ParamName);

        var shortInput = Assert.Throws<ArgumentException>(() => Pooling.MaxPool2D(input, output, argmax, 3, 4, 4, 2, 2));
        Assert.Equal("input", shortInput.ParamName);
        Assert.Contains("48", shortInput.Message);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Pooling.MaxPool2D(input, output[..7], 2, 4, 4, 2, 2)).ParamName);
        Assert.Equal("argmax", Assert.Throws<ArgumentException>(() => Pooling.MaxPool2D(input, output, argmax[..7], 2, 4, 4, 2, 2)).ParamName);
    }

    private static void CheckAgainstWindowScan(Random random, int planes, int height, int width, int size, int stride)
    {
        int outHeight = (height - size) / stride + 1;
        int outWidth = (width - size) / stride + 1;
        int outputLength = planes * outHeight * outWidth;
        float[] input = TieHeavyInputs(random, planes * height * width);
        float[] output = KernelTestData.RandomFloatsWithSentinels(random, outputLength, padding: 3);
        float[] inferenceOutput = KernelTestData.RandomFloatsWithSentinels(random, outputLength, padding: 3);
        int[] argmax = new int[outputLength + 3];
        argmax.AsSpan(outputLength).Fill(-7);

        Pooling.MaxPool2D(input, output, argmax, planes, height, width, size, stride);
        Pooling.MaxPool2D(input, inferenceOutput, planes, height, width, size, stride);

        string context = $"planes={planes} {height}x{width} size={size} stride={stride}";
        for (int plane = 0; plane < planes; plane++)
        {
            for (int oy = 0; oy < outHeight; oy++)
            {
                for (int ox = 0; ox < outWidth; ox++)
                {
                    (float expectedValue, int expectedIndex) = ScanWindow(input, plane, height, width, oy * stride, ox * stride, size);
                    int o = (plane * outHeight + oy) * outWidth + ox;
                    string where = $"{context}, output ({plane}, {oy}, {ox})";
                    Assert.True(expectedIndex == argmax[o], $"{where}: argmax {argmax[o]}, expected {expectedIndex}.");
                    Assert.True(SameBits(expectedValue, output[o]), $"{where}: value {output[o]}, expected {expectedValue}.");
                    Assert.True(SameBits(expectedValue, inferenceOutput[o]), $"{where}: inference value {inferenceOutput[o]}, expected {expectedValue}.");
                }
            }
        }

        KernelTestData.AssertSentinelsIntact(output, outputLength, context);
        KernelTestData.AssertSentinelsIntact(inferenceOutput, outputLength, context + " inference");
        Assert.All(argmax[outputLength..], index => Assert.Equal(-7, index));
    }

    /// <summary>
    /// Returns the maximum of one window and its absolute index by PyTorch's rule, written out from the definition:
    /// scan in row-major order and take an element that is greater than the maximum so far or is NaN.
    /// </summary>
    private static (float Value, int Index) ScanWindow(float[] input, int plane, int height, int width, int top, int left, int size)
    {
        float best = float.NegativeInfinity;
        int bestIndex = -1;
        for (int row = top; row < top + size; row++)
        {
            for (int column = left; column < left + size; column++)
            {
                int index = (plane * height + row) * width + column;
                if (bestIndex < 0 || input[index] > best || float.IsNaN(input[index]))
                {
                    best = input[index];
                    bestIndex = index;
                }
            }
        }

        return (best, bestIndex);
    }

    /// <summary>Returns values from {-2, -1, -0, +0, 1, 2} with about one NaN in fifty, so windows often tie.</summary>
    private static float[] TieHeavyInputs(Random random, int length)
    {
        float[] choices = [-2f, -1f, -0f, 0f, 1f, 2f];
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.Next(50) == 0 ? float.NaN : choices[random.Next(choices.Length)];
        }

        return values;
    }

    private static bool SameBits(float expected, float actual) =>
        float.IsNaN(expected)
            ? float.IsNaN(actual)
            : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual);
}

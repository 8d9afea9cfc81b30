using ModelCompiler.Kernels;
using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>Max pooling with rectangular windows and padding, average pooling and global average pooling.</summary>
public class PaddedPoolingTests
{
    /// <summary>
    /// Windows as (kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth). The first is
    /// the unpadded square shape that the max-pool overloads hand to the existing vector path.
    /// </summary>
    public static TheoryData<int, int, int, int, int, int> Windows => new()
    {
        { 2, 2, 2, 2, 0, 0 },
        { 3, 3, 1, 1, 1, 1 },
        { 3, 3, 2, 2, 1, 1 },
        { 2, 3, 1, 2, 1, 1 },
        { 3, 2, 2, 1, 0, 1 },
        { 1, 1, 1, 1, 0, 0 },
        { 4, 2, 3, 2, 2, 0 },
        { 5, 3, 2, 3, 2, 1 },
    };

    /// <summary>
    /// Compares both MaxPool2D overloads with a direct scan over input sizes that do and do not tile: padding cells
    /// are never chosen, the first maximum wins, and NaN propagates. Inputs are small integers with NaN and signed zeros.
    /// </summary>
    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPool2D_Padded_MatchesScan(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int paddingHeight, int paddingWidth)
    {
        var random = new Random(501 + kernelHeight * 10 + kernelWidth);
        float[] choices = [1f, 2f, 3f, -0f, 0f, -5f, float.NaN];
        foreach ((int height, int width) in InputSizes(kernelHeight, kernelWidth, paddingHeight, paddingWidth))
        {
            const int planes = 3;
            float[] input = Enumerable.Range(0, planes * height * width).Select(_ => choices[random.Next(choices.Length)]).ToArray();
            int outHeight = (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1;
            int outWidth = (width + 2 * paddingWidth - kernelWidth) / strideWidth + 1;
            int outputLength = planes * outHeight * outWidth;
            float[] output = KernelTestData.RandomFloatsWithSentinels(random, outputLength, padding: 2);
            float[] inferenceOutput = new float[outputLength];
            int[] argmax = new int[outputLength];

            Pooling.MaxPool2D(
                input, output.AsSpan(0, outputLength), argmax, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);
            Pooling.MaxPool2D(
                input, inferenceOutput, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);

            int index = 0;
            for (int plane = 0; plane < planes; plane++)
            {
                for (int oy = 0; oy < outHeight; oy++)
                {
                    for (int ox = 0; ox < outWidth; ox++)
                    {
                        int expected = ScanWindow(input, plane, height, width, oy * strideHeight - paddingHeight, ox * strideWidth - paddingWidth, kernelHeight, kernelWidth);
                        string context = $"{height}x{width} window {kernelHeight}x{kernelWidth}, output {index}";
                        Assert.Equal(expected, argmax[index]);
                        FloatAccuracy.AssertBitwiseEqual(input[expected], output[index], context);
                        FloatAccuracy.AssertBitwiseEqual(input[expected], inferenceOutput[index], context + " (inference)");
                        index++;
                    }
                }
            }

            KernelTestData.AssertSentinelsIntact(output, outputLength, $"MaxPool2D {height}x{width}");
        }
    }

    /// <summary>
    /// The kernel sums each window in float in row-major order and divides once; the expected value is the double
    /// sum divided in double. The float sum of n cells is within gamma(n) * sum|x| of the exact sum, and the division
    /// adds one rounding, so the bound is gamma(n + 1) * sum|x| / divisor.
    /// </summary>
    [Theory]
    [MemberData(nameof(Windows))]
    public void AvgPool2D_Padded_MatchesDoubleSum(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int paddingHeight, int paddingWidth)
    {
        var random = new Random(502 + kernelHeight * 10 + kernelWidth);
        foreach (bool countIncludePadding in new[] { true, false })
        {
            foreach ((int height, int width) in InputSizes(kernelHeight, kernelWidth, paddingHeight, paddingWidth))
            {
                const int planes = 2;
                float[] input = FloatAccuracy.Uniform(random, planes * height * width, 3.0);
                int outHeight = (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1;
                int outWidth = (width + 2 * paddingWidth - kernelWidth) / strideWidth + 1;
                int outputLength = planes * outHeight * outWidth;
                float[] output = KernelTestData.RandomFloatsWithSentinels(random, outputLength, padding: 2);

                Pooling.AvgPool2D(
                    input, output.AsSpan(0, outputLength), planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                    paddingHeight, paddingWidth, countIncludePadding);

                int index = 0;
                for (int plane = 0; plane < planes; plane++)
                {
                    for (int oy = 0; oy < outHeight; oy++)
                    {
                        for (int ox = 0; ox < outWidth; ox++)
                        {
                            List<int> cells = CellsUnder(plane, height, width, oy * strideHeight - paddingHeight, ox * strideWidth - paddingWidth, kernelHeight, kernelWidth);
                            double divisor = countIncludePadding ? kernelHeight * kernelWidth : cells.Count;
                            double expected = cells.Sum(i => (double)input[i]) / divisor;
                            double magnitude = cells.Sum(i => Math.Abs((double)input[i])) / divisor;
                            FloatAccuracy.AssertClose(
                                output[index], expected, KernelTestData.RoundingBound(cells.Count + 1, magnitude),
                                $"AvgPool2D {height}x{width}, countIncludePadding {countIncludePadding}, output {index}");
                            index++;
                        }
                    }
                }

                KernelTestData.AssertSentinelsIntact(output, outputLength, $"AvgPool2D {height}x{width}");
            }
        }
    }

    /// <summary>
    /// Compares the max-pool argmax routed through MaxPool2DBackward, and AvgPool2D and its backward pass, with the
    /// reference interpreter on input sizes that the windows tile exactly, as the reference's shape inference requires.
    /// </summary>
    [Theory]
    [MemberData(nameof(Windows))]
    public void PaddedPooling_MatchesReferenceInterpreter(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int paddingHeight, int paddingWidth)
    {
        int height = TilingSize(kernelHeight, strideHeight, paddingHeight);
        int width = TilingSize(kernelWidth, strideWidth, paddingWidth);
        var shape = new ReferenceShape(2, height, width);
        const int batchSize = 2;
        int planes = batchSize * shape.Channels;
        float[] input = FloatAccuracy.Uniform(new Random(503 + kernelHeight), batchSize * shape.Size, 3.0);

        var maxLayer = new MaxPool2DLayer(kernelHeight, strideHeight)
        {
            KernelWidth = kernelWidth,
            StrideWidth = strideWidth,
            PaddingHeight = paddingHeight,
            PaddingWidth = paddingWidth,
        };
        OracleResult maxOracle = ReferenceOracle.Run(maxLayer, shape, batchSize, [], input, seed: 504);
        float[] maxOutput = new float[maxOracle.Output.Length];
        int[] argmax = new int[maxOutput.Length];
        float[] maxInputGradient = new float[input.Length];
        Pooling.MaxPool2D(input, maxOutput, argmax, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);
        Pooling.MaxPool2DBackward(ReferenceOracle.ToFloats(maxOracle.OutputGradient), argmax, maxInputGradient);

        for (int i = 0; i < maxOutput.Length; i++)
        {
            Assert.Equal(maxOracle.Output[i], maxOutput[i]);
        }

        AssertGradientsClose(maxInputGradient, maxOracle.InputGradient, InputGradientMagnitudes(maxOracle.OutputGradient, argmax, input.Length), "MaxPool2D");

        foreach (bool countIncludePadding in new[] { true, false })
        {
            var avgLayer = new AvgPool2DLayer(kernelHeight, strideHeight)
            {
                KernelWidth = kernelWidth,
                StrideWidth = strideWidth,
                PaddingHeight = paddingHeight,
                PaddingWidth = paddingWidth,
                CountIncludePadding = countIncludePadding,
            };
            OracleResult avgOracle = ReferenceOracle.Run(avgLayer, shape, batchSize, [], input, seed: 505);
            float[] avgOutput = new float[avgOracle.Output.Length];
            float[] avgInputGradient = KernelTestData.RandomFloats(new Random(506), input.Length);
            Pooling.AvgPool2D(input, avgOutput, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth, countIncludePadding);
            Pooling.AvgPool2DBackward(
                ReferenceOracle.ToFloats(avgOracle.OutputGradient), avgInputGradient, planes, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                paddingHeight, paddingWidth, countIncludePadding);

            // Forward: window sum bound as in AvgPool2D_Padded_MatchesDoubleSum with n <= kernel area.
            double windowBound = KernelTestData.RoundingBound(kernelHeight * kernelWidth + 1, 3.0);
            for (int i = 0; i < avgOutput.Length; i++)
            {
                FloatAccuracy.AssertClose(avgOutput[i], avgOracle.Output[i], windowBound, $"AvgPool2D countIncludePadding {countIncludePadding}, output {i}");
            }

            // Backward: each cell adds at most kernel-area shares, each with dy's rounding and a division.
            double shareMagnitude = avgOracle.OutputGradient.Max(Math.Abs);
            double gradientBound = KernelTestData.RoundingBound(kernelHeight * kernelWidth + 2, kernelHeight * kernelWidth * shareMagnitude);
            for (int i = 0; i < input.Length; i++)
            {
                FloatAccuracy.AssertClose(
                    avgInputGradient[i], avgOracle.InputGradient[i], gradientBound, $"AvgPool2DBackward countIncludePadding {countIncludePadding}, input {i}");
            }
        }
    }

    /// <summary>
    /// The plane sums are in double, so each mean is the double mean rounded once: within half an ulp, with a little
    /// allowance for the double sum's own rounding. The backward value dOutput / planeSize is one float division.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(4, 16)]
    [InlineData(2, 49)]
    [InlineData(5, 784)]
    [InlineData(0, 9)]
    public void GlobalAvgPool_PlaneSizes_MatchDoubleMean(int planes, int planeSize)
    {
        var random = new Random(507 + planeSize);
        float[] input = FloatAccuracy.Uniform(random, planes * planeSize, 5.0);
        float[] output = KernelTestData.RandomFloatsWithSentinels(random, planes, padding: 2);
        float[] dOutput = FloatAccuracy.Uniform(random, planes, 1.0);
        float[] dInput = KernelTestData.RandomFloatsWithSentinels(random, planes * planeSize, padding: 2);

        Pooling.GlobalAvgPool(input, output.AsSpan(0, planes), planes, planeSize);
        Pooling.GlobalAvgPoolBackward(dOutput, dInput.AsSpan(0, planes * planeSize), planes, planeSize);

        for (int plane = 0; plane < planes; plane++)
        {
            double mean = input.AsSpan(plane * planeSize, planeSize).ToArray().Sum(v => (double)v) / planeSize;
            FloatAccuracy.AssertWithinUlps(output[plane], mean, 0.501, $"GlobalAvgPool plane {plane}");
            for (int i = 0; i < planeSize; i++)
            {
                FloatAccuracy.AssertWithinUlps(dInput[plane * planeSize + i], (double)dOutput[plane] / planeSize, 0.5, $"GlobalAvgPoolBackward plane {plane}, value {i}");
            }
        }

        KernelTestData.AssertSentinelsIntact(output, planes, "GlobalAvgPool");
        KernelTestData.AssertSentinelsIntact(dInput, planes * planeSize, "GlobalAvgPoolBackward");
    }

    [Fact]
    public void GlobalAvgPool_MatchesReferenceInterpreter()
    {
        var shape = new ReferenceShape(3, 5, 6);
        const int batchSize = 2;
        float[] input = FloatAccuracy.Uniform(new Random(508), batchSize * shape.Size, 3.0);
        OracleResult oracle = ReferenceOracle.Run(new GlobalAvgPool2DLayer(), shape, batchSize, [], input, seed: 509);
        float[] output = new float[batchSize * shape.Channels];
        float[] inputGradient = new float[input.Length];

        Pooling.GlobalAvgPool(input, output, output.Length, 30);
        Pooling.GlobalAvgPoolBackward(ReferenceOracle.ToFloats(oracle.OutputGradient), inputGradient, output.Length, 30);

        for (int i = 0; i < output.Length; i++)
        {
            FloatAccuracy.AssertWithinUlps(output[i], oracle.Output[i], 0.501, $"GlobalAvgPool output {i}");
        }

        for (int i = 0; i < input.Length; i++)
        {
            FloatAccuracy.AssertRoundings(inputGradient[i], oracle.InputGradient[i], 2, $"GlobalAvgPoolBackward input {i}");
        }
    }

    [Fact]
    public void PaddedPooling_InvalidWindow_ThrowsWithParameterName()
    {
        float[] input = new float[2 * 4 * 4], output = new float[64];
        int[] argmax = new int[64];

        var padding = Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2D(input, output, argmax, 2, 4, 4, 3, 3, 1, 1, 2, 1));
        Assert.Equal("paddingHeight", padding.ParamName);
        Assert.Contains("paddingHeight is 2 but must be from 0 to kernelHeight / 2 = 1", padding.Message);
        Assert.Equal("paddingWidth", Assert.Throws<ArgumentOutOfRangeException>(
            () => Pooling.AvgPool2D(input, output, 2, 4, 4, 3, 3, 1, 1, 1, -1, true)).ParamName);
        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2D(input, output, 2, 4, 4, 3, 7, 1, 1, 1, 1));
        Assert.Equal("kernelWidth", tooLarge.ParamName);
        Assert.Contains("must not exceed the padded input, width + 2 * paddingWidth = 6", tooLarge.Message);
        Assert.Equal("strideHeight", Assert.Throws<ArgumentOutOfRangeException>(
            () => Pooling.AvgPool2D(input, output, 2, 4, 4, 2, 2, 0, 1, 0, 0, true)).ParamName);
        Assert.Equal("height", Assert.Throws<ArgumentOutOfRangeException>(
            () => Pooling.MaxPool2D(input, output, 2, 0, 4, 1, 1, 1, 1, 0, 0)).ParamName);
    }

    [Fact]
    public void PaddedPooling_ShortSpans_ThrowWithParameterName()
    {
        float[] input = new float[2 * 4 * 4];

        // 3 x 3 windows with stride 1 and padding 1 keep 4 x 4, so 32 outputs.
        var shortOutput = Assert.Throws<ArgumentException>(() => Pooling.MaxPool2D(input, new float[31], new int[32], 2, 4, 4, 3, 3, 1, 1, 1, 1));
        Assert.Equal("output", shortOutput.ParamName);
        Assert.Contains("output has 31 elements, but planes * outHeight * outWidth = 32 are required", shortOutput.Message);
        Assert.Equal("argmax", Assert.Throws<ArgumentException>(
            () => Pooling.MaxPool2D(input, new float[32], new int[31], 2, 4, 4, 3, 3, 1, 1, 1, 1)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(
            () => Pooling.AvgPool2D(input.AsSpan(0, 31), new float[32], 2, 4, 4, 3, 3, 1, 1, 1, 1, false)).ParamName);
        Assert.Equal("dInput", Assert.Throws<ArgumentException>(
            () => Pooling.AvgPool2DBackward(new float[32], new float[31], 2, 4, 4, 3, 3, 1, 1, 1, 1, false)).ParamName);
        Assert.Equal("dOutput", Assert.Throws<ArgumentException>(
            () => Pooling.AvgPool2DBackward(new float[31], new float[32], 2, 4, 4, 3, 3, 1, 1, 1, 1, false)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Pooling.GlobalAvgPool(input, new float[1], 2, 16)).ParamName);
        Assert.Equal("dInput", Assert.Throws<ArgumentException>(() => Pooling.GlobalAvgPoolBackward(new float[2], new float[31], 2, 16)).ParamName);
        Assert.Equal("planeSize", Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.GlobalAvgPool(input, new float[2], 2, 0)).ParamName);
    }

    /// <summary>Input sizes from the smallest the window fits to a few that leave rows and columns after the last window.</summary>
    private static IEnumerable<(int Height, int Width)> InputSizes(int kernelHeight, int kernelWidth, int paddingHeight, int paddingWidth)
    {
        int minimumHeight = Math.Max(1, kernelHeight - 2 * paddingHeight);
        int minimumWidth = Math.Max(1, kernelWidth - 2 * paddingWidth);
        foreach (int extraHeight in new[] { 0, 1, 2, 5 })
        {
            foreach (int extraWidth in new[] { 0, 1, 3, 6, 19 })
            {
                yield return (minimumHeight + extraHeight, minimumWidth + extraWidth);
            }
        }
    }

    /// <summary>Returns an input size of about 7 that the window tiles exactly: (size + 2 * padding - kernel) divisible by stride.</summary>
    private static int TilingSize(int kernel, int stride, int padding)
    {
        int size = Math.Max(1, kernel - 2 * padding) + 6;
        while ((size + 2 * padding - kernel) % stride != 0)
        {
            size++;
        }

        return size;
    }

    /// <summary>Returns the indexes into the input of the input cells under a window, in row-major order.</summary>
    private static List<int> CellsUnder(int plane, int height, int width, int top, int left, int kernelHeight, int kernelWidth)
    {
        var cells = new List<int>();
        for (int y = top; y < top + kernelHeight; y++)
        {
            for (int x = left; x < left + kernelWidth; x++)
            {
                if (y >= 0 && y < height && x >= 0 && x < width)
                {
                    cells.Add((plane * height + y) * width + x);
                }
            }
        }

        return cells;
    }

    /// <summary>Returns the index of the window's first maximum, or its last NaN, among its input cells.</summary>
    private static int ScanWindow(float[] input, int plane, int height, int width, int top, int left, int kernelHeight, int kernelWidth)
    {
        List<int> cells = CellsUnder(plane, height, width, top, left, kernelHeight, kernelWidth);
        int best = cells[0];
        foreach (int cell in cells)
        {
            if (input[cell] > input[best] || float.IsNaN(input[cell]))
            {
                best = cell;
            }
        }

        return best;
    }

    /// <summary>Returns, per input cell, the sum of |dy| routed to it, which bounds the rounding of its accumulated gradient.</summary>
    private static double[] InputGradientMagnitudes(double[] outputGradient, int[] argmax, int inputLength)
    {
        var magnitudes = new double[inputLength];
        for (int i = 0; i < outputGradient.Length; i++)
        {
            magnitudes[argmax[i]] += Math.Abs(outputGradient[i]);
        }

        return magnitudes;
    }

    /// <summary>
    /// Asserts each gradient is within gamma(k + 1) of its magnitude, k the most shares any cell receives (at most 25
    /// here): dy's rounding to float and one rounding per addition.
    /// </summary>
    private static void AssertGradientsClose(float[] actual, double[] expected, double[] magnitudes, string name)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            FloatAccuracy.AssertClose(actual[i], expected[i], KernelTestData.RoundingBound(26, magnitudes[i]), $"{name} input gradient {i}");
        }
    }
}

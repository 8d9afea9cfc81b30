using ModelCompiler.Inspection;
using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Inspection;

public class ActivationStatisticsTests
{
    [Fact]
    public void KnownSmallInput()
    {
        // Mean 2 / 5 = 0.4. Deviations -1.4, -0.4, -0.4, 0.6, 1.6 have squares summing to 5.2, so the population
        // variance is 1.04. The range [-1, 2] splits into [-1, 0), [0, 1) and [1, 2].
        ActivationStatistics statistics = ActivationStatistics.Compute([-1f, 0f, 0f, 1f, 2f], bins: 3);

        Assert.Equal(5, statistics.Count);
        Assert.Equal(0.4, statistics.Mean, 1e-15);
        Assert.Equal(Math.Sqrt(1.04), statistics.StandardDeviation, 1e-15);
        Assert.Equal(-1.0, statistics.Min);
        Assert.Equal(2.0, statistics.Max);
        Assert.Equal(0.4, statistics.FractionZero);
        Assert.Equal([-1.0, 0.0, 1.0, 2.0], statistics.BinEdges);
        Assert.Equal([1, 2, 2], statistics.BinCounts);
        Assert.Equal(0, statistics.BelowRange);
        Assert.Equal(0, statistics.AboveRange);
    }

    [Fact]
    public void LastBinIncludesRightEdge()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([0f, 1f, 1f], bins: 2, min: 0.0, max: 1.0);

        Assert.Equal([1, 2], statistics.BinCounts);
    }

    [Fact]
    public void ValuesOnInnerEdgesGoRight()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([-0.5f, 0f, 0.5f], bins: 4, min: -1.0, max: 1.0);

        Assert.Equal([0, 1, 1, 1], statistics.BinCounts);
    }

    [Fact]
    public void ValuesOutsideGivenRangeCountedSeparately()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([-2f, -0.5f, 0.5f, 3f, 1f], bins: 2, min: -1.0, max: 1.0);

        Assert.Equal([1, 2], statistics.BinCounts);
        Assert.Equal(1, statistics.BelowRange);
        Assert.Equal(1, statistics.AboveRange);
        Assert.Equal(-2.0, statistics.Min);
        Assert.Equal(3.0, statistics.Max);
    }

    [Fact]
    public void OneBoundGivenOtherFromData()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([0.5f, 0.75f, 1f], bins: 2, min: 0.0);

        Assert.Equal([0.0, 0.5, 1.0], statistics.BinEdges);
        Assert.Equal([0, 3], statistics.BinCounts);
    }

    [Fact]
    public void ConstantValuesGetUnitRange()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([3f, 3f, 3f], bins: 2);

        Assert.Equal([2.5, 3.0, 3.5], statistics.BinEdges);
        Assert.Equal([0, 3], statistics.BinCounts);
        Assert.Equal(0.0, statistics.StandardDeviation);
    }

    [Fact]
    public void AllZerosCounted()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([0f, -0f, 0f, 0f]);

        Assert.Equal(1.0, statistics.FractionZero);
        Assert.Equal(4, statistics.BinCounts.Sum());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(1000)]
    public void BinsSumToCount(int bins)
    {
        var random = new DeterministicRandom(3UL);
        float[] values = Enumerable.Range(0, 10_007).Select(_ => MathF.Tanh((float)(2.0 * random.NextGaussian()))).ToArray();

        ActivationStatistics statistics = ActivationStatistics.Compute(values, bins);

        Assert.Equal(bins, statistics.BinCounts.Count);
        Assert.Equal(bins + 1, statistics.BinEdges.Count);
        Assert.Equal(values.Length, statistics.BinCounts.Sum());
    }

    [Fact]
    public void BinCountsMatchEdges()
    {
        // Edges like -1 + 2 x 3 / 7 are not exact in binary, so this checks each value against the stored edges.
        var random = new DeterministicRandom(4UL);
        float[] values = Enumerable.Range(0, 5000).Select(_ => (float)(2.0 * random.NextDouble() - 1.0)).ToArray();

        ActivationStatistics statistics = ActivationStatistics.Compute(values, bins: 7, min: -1.0, max: 1.0);

        IReadOnlyList<double> edges = statistics.BinEdges;
        for (int bin = 0; bin < 7; bin++)
        {
            int expected = bin == 6
                ? values.Count(v => v >= edges[bin] && v <= edges[bin + 1])
                : values.Count(v => v >= edges[bin] && v < edges[bin + 1]);
            Assert.Equal(expected, statistics.BinCounts[bin]);
        }
    }

    [Fact]
    public void ValueOnEdgeAfterRoundingGoesRight()
    {
        // With range [0, 0.9] and 18 bins, edge 15 is exactly 0.75, but (0.75 - 0) / 0.9 x 18 rounds to
        // 14.999999999999998, which truncates to bin 14.
        ActivationStatistics statistics = ActivationStatistics.Compute([0.75f], bins: 18, min: 0.0, max: 0.9);

        Assert.Equal(0.75, statistics.BinEdges[15]);
        Assert.Equal(1, statistics.BinCounts[15]);
    }

    [Fact]
    public void TinyNegativeValueStaysLeftOfZeroEdge()
    {
        // -float.Epsilon + 1 rounds to 1 in double, so the arithmetic estimate is bin 1, right of the edge at 0.
        ActivationStatistics statistics = ActivationStatistics.Compute([-float.Epsilon], bins: 2, min: -1.0, max: 1.0);

        Assert.Equal([1, 0], statistics.BinCounts);
    }

    [Fact]
    public void ToStringSummarizesOneLine()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([-1f, 0f, 0f, 1f, 2f], bins: 3);

        Assert.Equal("count 5, mean 0.4, std 1.02, min -1, max 2, zero 40.00%", statistics.ToString());
    }

    [Fact]
    public void FormatHistogramDrawsBars()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([-1f, 0f, 0f, 1f, 2f, 2f, 2f, 2f], bins: 3);

        IReadOnlyList<string> lines = statistics.FormatHistogram(maxBarWidth: 8);

        // Counts 1, 2 and 5: the fullest bin gets 8 characters, the others round(8 x 1 / 5) = 2 and
        // round(8 x 2 / 5) = 3.
        Assert.Equal(
            [
                "[-1, 0) 1 ##",
                "[ 0, 1) 2 ###",
                "[ 1, 2] 5 ########",
            ],
            lines);
    }

    [Fact]
    public void FormatHistogramReportsOutOfRange()
    {
        ActivationStatistics statistics = ActivationStatistics.Compute([-3f, 0.5f, 4f, 5f], bins: 1, min: 0.0, max: 1.0);

        IReadOnlyList<string> lines = statistics.FormatHistogram();

        Assert.Equal(2, lines.Count);
        Assert.Equal("outside the range: 1 below 0, 2 above 1", lines[1]);
    }

    [Fact]
    public void FormatHistogramShowsNonEmptyBin()
    {
        float[] values = new float[1001];
        values[1000] = 1f;

        ActivationStatistics statistics = ActivationStatistics.Compute(values, bins: 2);

        // 1 of 1000 would round to no '#', but a non-empty bin always shows one.
        Assert.EndsWith(" 1 #", statistics.FormatHistogram(maxBarWidth: 10)[1]);
    }

    [Fact]
    public void DeepTanhSmallWeightsCollapse()
    {
        // Ten tanh layers of 256 units with weights of std 0.01: each layer multiplies the activation std by about
        // 0.01 x sqrt(256) = 0.16, so after ten layers it is below 1e-7 of the input's.
        const int Units = 256;
        const int Batch = 32;
        var random = new DeterministicRandom(5UL);
        float[] activations = Enumerable.Range(0, Batch * Units).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] weights = new float[Units * Units];
        var layerStatistics = new List<ActivationStatistics>();
        for (int layer = 0; layer < 10; layer++)
        {
            Initializers.Gaussian(weights, 0.01, random);
            var next = new float[Batch * Units];
            for (int example = 0; example < Batch; example++)
            {
                for (int output = 0; output < Units; output++)
                {
                    double sum = 0.0;
                    for (int input = 0; input < Units; input++)
                    {
                        sum += weights[output * Units + input] * activations[example * Units + input];
                    }

                    next[example * Units + output] = (float)Math.Tanh(sum);
                }
            }

            activations = next;
            layerStatistics.Add(ActivationStatistics.Compute(activations));
        }

        Assert.InRange(layerStatistics[0].StandardDeviation, 0.1, 0.25);
        Assert.InRange(layerStatistics[9].StandardDeviation, 0.0, 1e-7);
        for (int layer = 1; layer < 10; layer++)
        {
            Assert.True(
                layerStatistics[layer].StandardDeviation < layerStatistics[layer - 1].StandardDeviation,
                $"Layer {layer}: {layerStatistics[layer]} does not shrink after layer {layer - 1}: {layerStatistics[layer - 1]}.");
        }
    }

    [Fact]
    public void EmptyInputRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => ActivationStatistics.Compute([]));

        Assert.Equal("values", exception.ParamName);
        Assert.Contains("values is empty", exception.Message);
    }

    [Fact]
    public void NaNRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => ActivationStatistics.Compute([0.5f, 1f, float.NaN, 2f]));

        Assert.Contains("values[2] is NaN", exception.Message);
    }

    [Fact]
    public void InfinityRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => ActivationStatistics.Compute([float.NegativeInfinity]));

        Assert.Contains("values[0] is", exception.Message);
        Assert.Contains("expected finite activations", exception.Message);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 1.0)]
    public void EmptyRangeRejected(double min, double max)
    {
        var exception = Assert.Throws<ArgumentException>(() => ActivationStatistics.Compute([0.5f], min: min, max: max));

        Assert.Contains("expected min < max", exception.Message);
    }

    [Fact]
    public void GivenMinAboveDataRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => ActivationStatistics.Compute([0.5f, 1f], min: 3.0));

        Assert.Contains("The histogram range is [3, 1] (min given, max from the data)", exception.Message);
    }

    [Fact]
    public void NonFiniteBoundRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => ActivationStatistics.Compute([0.5f], max: double.PositiveInfinity));

        Assert.Equal("max", exception.ParamName);
    }

    [Fact]
    public void ZeroBinsRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => ActivationStatistics.Compute([0.5f], bins: 0));

        Assert.Equal("bins", exception.ParamName);
    }
}

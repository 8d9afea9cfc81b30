using ModelCompiler.Inspection;
using ModelCompiler.Tests.Models;
using ModelCompiler.Training;
using Xunit;
using Xunit.Abstractions;

namespace ModelCompiler.Tests.Inspection;

/// <summary>
/// The classic initialization experiment on a deep tanh network, read through LayerOutput and ActivationStatistics:
/// with 1000 inputs per unit, weight std 0.01 scales each layer's spread by about sqrt(1000) x 0.01 = 0.32, so the
/// activations collapse toward zero; std 0.05 scales it by about 1.6, so many activations saturate near -1 and 1.
/// </summary>
public sealed class InitializationExperimentTests(ITestOutputHelper output)
{
    private const int BatchSize = 50;

    [Fact]
    public void SmallWeightsCollapseActivations()
    {
        var statistics = RunAndMeasure(new DeepTanhSmallWeights());

        // Each layer's spread shrinks by roughly 0.32, so six layers end near 0.32^6 ~ 1e-3 of the first.
        for (int layer = 1; layer < statistics.Count; layer++)
        {
            Assert.True(statistics[layer].StandardDeviation < 0.5 * statistics[layer - 1].StandardDeviation, $"tanh layer {layer + 1} did not shrink: {statistics[layer]}");
        }

        Assert.True(statistics[^1].StandardDeviation < 1e-3, $"last tanh layer: {statistics[^1]}");
    }

    [Fact]
    public void LargerWeightsSaturateActivations()
    {
        var statistics = RunAndMeasure(new DeepTanhLargeWeights());

        foreach (var layer in statistics)
        {
            // A standard deviation above 0.5 with values bounded by 1 means much of the mass sits near -1 and 1.
            Assert.True(layer.StandardDeviation > 0.5, $"expected saturated activations: {layer}");
            double nearOne = (layer.BinCounts[0] + layer.BinCounts[^1]) / (double)layer.Count;
            Assert.True(nearOne > 0.1, $"expected over 10% of values in the outer bins [-1, -0.9) and [0.9, 1]: {layer}");
        }
    }

    /// <summary>Runs one forward pass on N(0, 1) inputs and returns the statistics of every tanh output, in order.</summary>
    private List<ActivationStatistics> RunAndMeasure(ICompiledModel model)
    {
        model.InitializeParameters(seed: 3);
        var random = new DeterministicRandom(4L);
        var input = new float[BatchSize * model.InputSize];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextNormal();
        }

        model.Forward(input, new float[BatchSize * model.OutputSize], BatchSize);

        var statistics = new List<ActivationStatistics>();
        // Layers are numbered from 1 as in the generated layer table: dense layers are odd, tanh layers even.
        for (int layer = 2; layer <= 12; layer += 2)
        {
            var measured = ActivationStatistics.Compute(model.LayerOutput(layer), bins: 20, min: -1, max: 1);
            output.WriteLine($"tanh layer {layer / 2}: {measured}");
            statistics.Add(measured);
        }

        return statistics;
    }
}

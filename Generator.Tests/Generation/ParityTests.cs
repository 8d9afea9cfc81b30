using ModelCompiler.Reference;
using ModelCompiler.Tests.Models;
using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Generation;

/// <summary>
/// Generated forward outputs, losses, parameter gradients and running statistics equal the reference
/// interpreter's, run in double precision on the same parameters, inputs and statistics, in both modes.
/// </summary>
/// <remarks>
/// Tolerance: |generated - reference| &lt;= 1e-4 x max(1, largest |reference| value of that tensor). The generated
/// code computes in float32 (unit roundoff 6e-8) with sums of up to 400 products in a different order than the
/// reference; the worst-case bound on such a sum is about n x 6e-8 x sum|a*b|, 2.4e-5 relative for n = 400, so
/// 1e-4 leaves a factor of four. Inputs are seeded: a ReLU input or pooling window within float rounding of a
/// kink or tie could make float and double choose differently, and fixed seeds keep such a case out once checked.
/// </remarks>
public sealed class ParityTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in ParityModels.All.Keys)
        {
            data.Add(name, ParityModels.NeedTwoExamples.Contains(name) ? 2 : 1);
            data.Add(name, 5);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainingForwardMatchesReference(string name, int batchSize)
    {
        var (model, reference, state) = Create(name, seed: 5);
        var input = RandomValues(batchSize * model.InputSize, seed: 11);

        var output = new float[batchSize * model.OutputSize];
        model.Forward(input, output, batchSize);
        var expected = reference.Forward(ToDouble(model.Parameters), ToDouble(input), batchSize, ReferenceMode.Training, state);

        AssertClose(expected, output, "logits");
        AssertClose(state, model.RunningStatistics, "running statistics after a training forward pass");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EvaluationForwardMatchesReference(string name, int batchSize)
    {
        var (model, reference, state) = Create(name, seed: 6);
        var input = RandomValues(batchSize * model.InputSize, seed: 12);
        model.Mode = ModelMode.Evaluation;
        var expected = reference.Forward(ToDouble(model.Parameters), ToDouble(input), batchSize, ReferenceMode.Evaluation, state);

        var folded = new float[batchSize * model.OutputSize];
        model.Forward(input, folded, batchSize);
        var unfolded = new float[batchSize * model.OutputSize];
        model.FoldBatchNorm = false;
        model.Forward(input, unfolded, batchSize);

        AssertClose(expected, folded, "logits with BatchNorm folded");
        AssertClose(expected, unfolded, "logits with BatchNorm unfolded");
        AssertClose(state, model.RunningStatistics, "running statistics, which evaluation must not change");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainingGradientsMatchReference(string name, int batchSize) =>
        CheckGradients(name, batchSize, ModelMode.Training);

    [Theory]
    [MemberData(nameof(Cases))]
    public void EvaluationGradientsMatchReference(string name, int batchSize) =>
        CheckGradients(name, batchSize, ModelMode.Evaluation);

    [Fact]
    public void SmallerBatchAfterLargerReusesBuffers()
    {
        var (model, reference, state) = Create("LeNet", seed: 3);
        var large = RandomValues(7 * LeNetModel.InputSize, seed: 1);
        var small = RandomValues(2 * LeNetModel.InputSize, seed: 2);
        var labels = new[] { 4, 9, 0, 1, 2, 3, 5 };

        model.ComputeGradients(large, labels, 7);
        float loss = model.ComputeGradients(small, labels, 2);

        var expectedGradients = new double[reference.ParameterCount];
        double expectedLoss = reference.ComputeGradients(ToDouble(model.Parameters), ToDouble(small), labels.AsSpan(0, 2), 2, ReferenceMode.Training, state, expectedGradients);
        AssertClose(new[] { expectedLoss }, new[] { loss }, "loss");
        AssertClose(expectedGradients, model.Gradients, "gradients");
    }

    [Fact]
    public void GeneratedShapesMatchReferenceInference()
    {
        var reference = new ReferenceNetwork<double>(LeNetModel.Description);

        Assert.Equal(LeNetModel.ParameterCount, reference.ParameterCount);
        Assert.Equal(62558, LeNetModel.ParameterCount);
        Assert.Equal(LeNetModel.OutputSize, reference.OutputSize);
        Assert.Equal(8, LeNetModel.Layers.Conv1.OutputChannels);
        Assert.Equal(28, LeNetModel.Layers.Conv1.OutputHeight);
        Assert.Equal(14, LeNetModel.Layers.MaxPool1.OutputWidth);
        Assert.Equal(10, LeNetModel.Layers.Conv2.OutputHeight);
        Assert.Equal(400, LeNetModel.Layers.Dense1.InputSize);
        Assert.Equal(LeNetModel.Layers.Dense1.WeightOffset, reference.Layers[6].WeightOffset);
        Assert.Equal(LeNetModel.Layers.Dense1.BiasOffset, reference.Layers[6].BiasOffset);
        Assert.Equal(2, StridedModel.Layers.MaxPool1.OutputHeight);
        Assert.Equal(5, StridedModel.Layers.Conv1.OutputWidth);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ParameterLayoutMatchesReference(string name, int batchSize)
    {
        _ = batchSize;
        var (model, reference, state) = Create(name, seed: 1);

        Assert.Equal(reference.ParameterCount, model.Parameters.Length);
        Assert.Equal(reference.StateCount, model.RunningStatistics.Length);
        Assert.Equal(reference.OutputSize, model.OutputSize);
        Assert.Equal(reference.InputSize, model.InputSize);
        Assert.Equal(reference.StateCount, state.Length);
    }

    private static void CheckGradients(string name, int batchSize, ModelMode mode)
    {
        var (model, reference, state) = Create(name, seed: 9);
        model.Mode = mode;
        var input = RandomValues(batchSize * model.InputSize, seed: 23);
        var labels = Enumerable.Range(0, batchSize).Select(i => (i * 7 + 3) % model.OutputSize).ToArray();

        float loss = model.ComputeGradients(input, labels, batchSize);
        var expectedGradients = new double[reference.ParameterCount];
        var referenceMode = mode == ModelMode.Training ? ReferenceMode.Training : ReferenceMode.Evaluation;
        double expectedLoss = reference.ComputeGradients(ToDouble(model.Parameters), ToDouble(input), labels, batchSize, referenceMode, state, expectedGradients);

        AssertClose(new[] { expectedLoss }, new[] { loss }, "loss");
        for (int index = 0; index < reference.Layers.Count; index++)
        {
            var layer = reference.Layers[index];
            if (layer.WeightCount > 0)
            {
                AssertClose(expectedGradients.AsSpan(layer.WeightOffset, layer.WeightCount).ToArray(), model.Gradients.AsSpan(layer.WeightOffset, layer.WeightCount).ToArray(), $"weight gradients of layer {index + 1} ({layer.Description.GetType().Name})");
            }

            if (layer.BiasCount > 0)
            {
                AssertClose(expectedGradients.AsSpan(layer.BiasOffset, layer.BiasCount).ToArray(), model.Gradients.AsSpan(layer.BiasOffset, layer.BiasCount).ToArray(), $"bias gradients of layer {index + 1} ({layer.Description.GetType().Name})");
            }
        }

        AssertClose(state, model.RunningStatistics, "running statistics after ComputeGradients");
    }

    /// <summary>
    /// Creates the model with seeded parameters, every entry perturbed so that no gradient is trivially zero, and
    /// running statistics away from their initial values; returns the reference and a double copy of those statistics.
    /// </summary>
    private static (ICompiledModel Model, ReferenceNetwork<double> Reference, double[] State) Create(string name, int seed)
    {
        var (model, description) = ParityModels.All[name]();
        model.InitializeParameters(seed);
        var random = new DeterministicRandom(seed + 1000L);
        var parameters = model.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += 0.1f * random.NextNormal();
        }

        var reference = new ReferenceNetwork<double>(description);
        var statistics = model.RunningStatistics;
        foreach (var layer in reference.Layers.Where(l => l.StateCount > 0))
        {
            int channels = layer.StateCount / 2;
            for (int c = 0; c < channels; c++)
            {
                statistics[layer.StateOffset + c] = 0.5f * random.NextNormal();
                statistics[layer.StateOffset + channels + c] = 0.5f + 1.5f * random.NextSingle();
            }
        }

        return (model, reference, ToDouble(statistics));
    }

    private static float[] RandomValues(int count, int seed)
    {
        var random = new DeterministicRandom((long)seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = random.NextNormal();
        }

        return values;
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        double scale = expected.Count == 0 ? 1 : Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Count; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(
                error <= Tolerance * scale,
                $"{what}[{i}]: generated {actual[i]:R}, reference {expected[i]:R}, difference {error:E2} exceeds {Tolerance} x {scale:G4}.");
        }
    }
}

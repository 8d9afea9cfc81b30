using ModelCompiler.Reference;
using ModelCompiler.Tests.Models;
using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Generation;

/// <summary>
/// Generated forward outputs, losses and parameter gradients equal the reference interpreter's, run in double
/// precision on the same parameters and inputs.
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
        foreach (string name in Factories.Keys)
        {
            data.Add(name, 1);
            data.Add(name, 5);
        }

        return data;
    }

    private static readonly Dictionary<string, Func<(ICompiledModel Model, ModelDescription Description)>> Factories = new()
    {
        ["LeNet"] = () => (new LeNetModel(), LeNetModel.Description),
        ["Strided"] = () => (new StridedModel(), StridedModel.Description),
        ["Pointwise"] = () => (new PointwiseModel(), PointwiseModel.Description),
        ["Perceptron"] = () => (new PerceptronModel(), PerceptronModel.Description),
        ["ReluFirst"] = () => (new ReluFirstModel(), ReluFirstModel.Description),
        ["Nested"] = () => (new ModelContainer.NestedModel(), ModelContainer.NestedModel.Description),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesReference(string name, int batchSize)
    {
        var (model, description) = Factories[name]();
        var reference = new ReferenceNetwork<double>(description);
        var input = RandomValues(batchSize * model.InputSize, seed: 11);
        Randomize(model, seed: 5);

        var output = new float[batchSize * model.OutputSize];
        model.Forward(input, output, batchSize);
        var expected = reference.Forward(ToDouble(model.Parameters), ToDouble(input), batchSize);

        AssertClose(expected, output, "logits");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchReference(string name, int batchSize)
    {
        var (model, description) = Factories[name]();
        var reference = new ReferenceNetwork<double>(description);
        var input = RandomValues(batchSize * model.InputSize, seed: 23);
        var labels = Enumerable.Range(0, batchSize).Select(i => (i * 7 + 3) % model.OutputSize).ToArray();
        Randomize(model, seed: 9);

        float loss = model.ComputeGradients(input, labels, batchSize);
        var expectedGradients = new double[reference.ParameterCount];
        double expectedLoss = reference.ComputeGradients(ToDouble(model.Parameters), ToDouble(input), labels, batchSize, expectedGradients);

        Assert.Equal(reference.ParameterCount, model.Parameters.Length);
        AssertClose(new[] { expectedLoss }, new[] { loss }, "loss");
        for (int index = 0; index < reference.Layers.Count; index++)
        {
            var layer = reference.Layers[index];
            if (layer.WeightCount == 0)
            {
                continue;
            }

            AssertClose(expectedGradients.AsSpan(layer.WeightOffset, layer.WeightCount).ToArray(), model.Gradients.AsSpan(layer.WeightOffset, layer.WeightCount).ToArray(), $"weight gradients of layer {index + 1}");
            AssertClose(expectedGradients.AsSpan(layer.BiasOffset, layer.BiasCount).ToArray(), model.Gradients.AsSpan(layer.BiasOffset, layer.BiasCount).ToArray(), $"bias gradients of layer {index + 1}");
        }
    }

    [Fact]
    public void SmallerBatchAfterLargerReusesBuffers()
    {
        var model = new LeNetModel();
        var reference = new ReferenceNetwork<double>(LeNetModel.Description);
        Randomize(model, seed: 3);
        var large = RandomValues(7 * LeNetModel.InputSize, seed: 1);
        var small = RandomValues(2 * LeNetModel.InputSize, seed: 2);
        var labels = new[] { 4, 9, 0, 1, 2, 3, 5 };

        model.ComputeGradients(large, labels, 7);
        float loss = model.ComputeGradients(small, labels, 2);

        var expectedGradients = new double[reference.ParameterCount];
        double expectedLoss = reference.ComputeGradients(ToDouble(model.Parameters), ToDouble(small), labels.AsSpan(0, 2), 2, expectedGradients);
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
        Assert.Equal(14, LeNetModel.Layers.Pool1.OutputWidth);
        Assert.Equal(10, LeNetModel.Layers.Conv2.OutputHeight);
        Assert.Equal(400, LeNetModel.Layers.Dense1.InputSize);
        Assert.Equal(LeNetModel.Layers.Dense1.WeightOffset, reference.Layers[6].WeightOffset);
        Assert.Equal(LeNetModel.Layers.Dense1.BiasOffset, reference.Layers[6].BiasOffset);
        Assert.Equal(2, StridedModel.Layers.Pool1.OutputHeight);
        Assert.Equal(5, StridedModel.Layers.Conv1.OutputWidth);
    }

    /// <summary>Sets every parameter, biases included, to seeded values so that no gradient is trivially zero.</summary>
    private static void Randomize(ICompiledModel model, int seed)
    {
        model.InitializeParameters(seed);
        var random = new DeterministicRandom(seed + 1000L);
        var parameters = model.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += 0.1f * random.NextNormal();
        }
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
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Count; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(
                error <= Tolerance * scale,
                $"{what}[{i}]: generated {actual[i]:R}, reference {expected[i]:R}, difference {error:E2} exceeds {Tolerance} x {scale:G4}.");
        }
    }
}

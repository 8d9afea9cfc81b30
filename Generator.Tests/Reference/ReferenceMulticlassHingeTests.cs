using ModelCompiler.Reference;
using Xunit;
using static ModelCompiler.Tests.Reference.ReferenceTestModels;

namespace ModelCompiler.Tests.Reference;

/// <summary>The multiclass hinge loss (PyTorch's MultiMarginLoss with p = 1) against hand-computed values.</summary>
public class ReferenceMulticlassHingeTests
{
    [Fact]
    public void LossAndGradientMatchHandValues()
    {
        // Example 0: logits (1, 2, 0.5), label 0, margin 1: terms j = 1: 1 - 1 + 2 = 2 and j = 2: 1 - 1 + 0.5 = 0.5,
        // so its loss is 2.5 / 3. Example 1: logits (0, 3, 1), label 1: terms 1 - 3 + 0 = -2 and 1 - 3 + 1 = -1
        // are inactive, so its loss is 0. The mean over the batch is 2.5 / 6.
        var network = new ReferenceNetwork<double>(Model(1, 1, 3, new MulticlassHingeLayer(1.0)));
        double[] logits = [1, 2, 0.5, 0, 3, 1];
        int[] labels = [0, 1];
        var gradients = new double[6];

        double loss = network.ComputeGradients([], logits, labels, 2, [], gradients);

        Assert.Equal(2.5 / 6, loss, 1e-15);
        Assert.Equal(2.5 / 6, network.Loss([], logits, labels, 2), 1e-15);

        // Each active term adds 1 / (3 classes x 2 examples) to x[j] and subtracts it from x[label].
        Assert.Equal([-2.0 / 6, 1.0 / 6, 1.0 / 6, 0, 0, 0], gradients);
    }

    [Fact]
    public void SubgradientAtKinkIsZero()
    {
        // Logits (1, 0, -1), label 0, margin 1: the term for j = 1 is exactly 1 - 1 + 0 = 0 and counts as inactive,
        // as in PyTorch, and the term for j = 2 is -1.
        var network = new ReferenceNetwork<double>(Model(1, 1, 3, new MulticlassHingeLayer(1.0)));
        var gradients = new double[3];

        double loss = network.ComputeGradients([], [1, 0, -1], [0], 1, [], gradients);

        Assert.Equal(0.0, loss);
        Assert.Equal([0.0, 0.0, 0.0], gradients);
    }

    [Fact]
    public void MarginScalesActiveTerms()
    {
        // Logits (0.2, 0, 0.1), label 0, margin 0.5: terms 0.5 - 0.2 + 0 = 0.3 and 0.5 - 0.2 + 0.1 = 0.4.
        var network = new ReferenceNetwork<double>(Model(1, 1, 3, new MulticlassHingeLayer(0.5)));

        double loss = network.Loss([], [0.2, 0, 0.1], [0], 1);

        Assert.Equal(0.7 / 3, loss, 1e-15);
    }

    [Fact]
    public void DefaultMarginIsOne()
    {
        Assert.Equal(1.0, new MulticlassHingeAttribute().Margin);
    }

    [Fact]
    public void HingeAfterDenseLayer()
    {
        // Dense weights [[1, 0], [0, 1], [1, 1]], biases 0, input (2, -1): logits (2, -1, 1). Label 2: terms
        // 1 - 1 + 2 = 2 and 1 - 1 - 1 = -1, so the loss is 2 / 3 and only logit 0 and logit 2 get gradients.
        var network = new ReferenceNetwork<double>(Model(1, 1, 2, new DenseLayer(3), new MulticlassHingeLayer(1.0)));
        double[] parameters = [1, 0, 0, 1, 1, 1, 0, 0, 0];
        var parameterGradients = new double[9];
        var inputGradients = new double[2];

        double loss = network.ComputeGradients(parameters, [2, -1], [2], 1, parameterGradients, inputGradients);

        // Logit gradients (1/3, 0, -1/3) flow back through the weights to the input: (1/3 - 1/3, -1/3).
        Assert.Equal(2.0 / 3, loss, 1e-15);
        AssertClose([0, -1.0 / 3], inputGradients, 1e-15);
        AssertClose([2.0 / 3, -1.0 / 3, 0, 0, -2.0 / 3, 1.0 / 3, 1.0 / 3, 0, -1.0 / 3], parameterGradients, 1e-15);
    }

    [Fact]
    public void HingeInFloat()
    {
        var network = new ReferenceNetwork<float>(Model(1, 1, 3, new MulticlassHingeLayer(1.0)));
        var gradients = new float[3];

        float loss = network.ComputeGradients([], [1f, 2f, 0.5f], [0], 1, [], gradients);

        Assert.Equal(2.5f / 3, loss, 1e-6f);
        Assert.Equal([-2f / 3, 1f / 3, 1f / 3], gradients);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"Element {i}: expected {expected[i]:R}, actual {actual[i]:R}, tolerance {tolerance:G3}.");
        }
    }
}

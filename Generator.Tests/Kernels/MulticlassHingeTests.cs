using ModelCompiler.Reference;
using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>Losses.MulticlassHinge against the reference interpreter in double.</summary>
public class MulticlassHingeTests
{
    /// <summary>
    /// The model is the loss alone, so the reference's input gradient is the logit gradient. Terms are float sums of
    /// float logits, which the reference computes exactly in double, so the loss differs by the rounding of about
    /// classes terms (gamma(3) each, on magnitudes up to |margin| + 2 |logit|) and the final rounding. Each gradient
    /// is k / (classes * batchSize) for an integer k of at most classes, rounded once.
    /// </summary>
    [Theory]
    [InlineData(7, 10, 1.0f)]
    [InlineData(3, 4, 0.5f)]
    [InlineData(5, 2, 2.0f)]
    [InlineData(1, 1, 1.0f)]
    public void LossAndGradient_MatchReferenceInterpreter(int batchSize, int classes, float margin)
    {
        var random = new Random(901 + batchSize * 10 + classes);
        float[] logits = FloatAccuracy.Uniform(random, batchSize * classes, 2.0);
        int[] labels = Enumerable.Range(0, batchSize).Select(_ => random.Next(classes)).ToArray();
        var network = new ReferenceNetwork<double>(new ModelDescription(classes, 1, 1, [new MulticlassHingeLayer(margin)]));
        double[] logitValues = logits.Select(v => (double)v).ToArray();
        var expectedGradients = new double[logits.Length];
        double expectedLoss = network.ComputeGradients([], logitValues, labels, batchSize, [], expectedGradients);
        float[] gradients = KernelTestData.RandomFloats(random, logits.Length);

        float loss = Losses.MulticlassHinge(logits, labels, gradients, batchSize, classes, margin);

        double termMagnitude = Math.Abs(margin) + 4.0;
        FloatAccuracy.AssertClose(loss, expectedLoss, KernelTestData.RoundingBound(4, termMagnitude) + FloatAccuracy.Ulp(expectedLoss), "loss");
        for (int i = 0; i < logits.Length; i++)
        {
            FloatAccuracy.AssertWithinUlps(gradients[i], expectedGradients[i], 0.501, $"gradient {i}");
        }
    }

    [Fact]
    public void TermAtMargin_HasZeroGradient()
    {
        // Example 0: class 1 is exactly at the margin (1 - 2 + 1 = 0), class 2 is inside it (1 - 2 + 1.5 = 0.5).
        float[] logits = [2f, 1f, 1.5f];
        float[] gradients = new float[3];

        float loss = Losses.MulticlassHinge(logits, [0], gradients, 1, 3, 1f);

        Assert.Equal(0.5f / 3, loss);
        Assert.Equal([-1f / 3, 0f, 1f / 3], gradients);
    }

    [Fact]
    public void LossGradient_MatchesFiniteDifferences()
    {
        const int batchSize = 4, classes = 6;
        var random = new Random(902);
        float[] logits = FloatAccuracy.Uniform(random, batchSize * classes, 2.0);
        int[] labels = [0, 3, 5, 2];
        float[] gradients = new float[logits.Length];

        Losses.MulticlassHinge(logits, labels, gradients, batchSize, classes, 1f);

        // The loss is piecewise linear, so a central difference with a step well inside every piece is exact up to rounding.
        double Loss(double[] values)
        {
            double total = 0;
            for (int n = 0; n < batchSize; n++)
            {
                for (int j = 0; j < classes; j++)
                {
                    if (j != labels[n])
                    {
                        total += Math.Max(0, 1 - values[n * classes + labels[n]] + values[n * classes + j]) / classes;
                    }
                }
            }

            return total / batchSize;
        }

        double[] point = logits.Select(v => (double)v).ToArray();
        for (int i = 0; i < point.Length; i++)
        {
            const double step = 1e-6;
            double original = point[i];
            point[i] = original + step;
            double above = Loss(point);
            point[i] = original - step;
            double below = Loss(point);
            point[i] = original;
            FloatAccuracy.AssertClose(gradients[i], (above - below) / (2 * step), 1e-7, $"gradient {i}");
        }
    }

    [Fact]
    public void NaNLogit_GivesNaNLoss()
    {
        float[] gradients = new float[3];

        float loss = Losses.MulticlassHinge([0f, float.NaN, 0f], [0], gradients, 1, 3, 1f);

        Assert.True(float.IsNaN(loss), $"loss is {loss}, expected NaN.");
        Assert.Equal([-1f / 3, 0f, 1f / 3], gradients);
    }

    [Fact]
    public void LabelOutOfRange_ThrowsNamingExample()
    {
        float[] gradients = [7f, 7f, 7f, 7f, 7f, 7f];

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Losses.MulticlassHinge(new float[6], [1, 3], gradients, 2, 3, 1f));

        Assert.Equal("labels", exception.ParamName);
        Assert.Contains("labels[1] is 3; expected a class index in [0, 3)", exception.Message);
        Assert.All(gradients, value => Assert.Equal(7f, value));
    }

    [Fact]
    public void SpanLengths_MustMatchBatch()
    {
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => Losses.MulticlassHinge(new float[5], [0, 0], new float[5], 2, 3, 1f)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Losses.MulticlassHinge(new float[6], [0], new float[6], 2, 3, 1f)).ParamName);
        var gradients = Assert.Throws<ArgumentException>(() => Losses.MulticlassHinge(new float[6], [0, 0], new float[7], 2, 3, 1f));
        Assert.Equal("logitGradients", gradients.ParamName);
        Assert.Contains("logitGradients has 7 values; expected 6", gradients.Message);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Losses.MulticlassHinge([], [], [], 0, 3, 1f)).ParamName);
    }
}

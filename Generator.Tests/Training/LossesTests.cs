using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Training;

public class LossesTests
{
    private const int BatchSize = 7;
    private const int Classes = 10;

    private static float[] RandomLogits(ulong seed, double scale)
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, BatchSize * Classes).Select(_ => (float)(scale * random.NextGaussian())).ToArray();
    }

    private static int[] RandomLabels(ulong seed)
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, BatchSize).Select(_ => random.NextInt(Classes)).ToArray();
    }

    // Mean cross-entropy computed entirely in double, as the reference for the float implementation.
    private static double ReferenceLoss(double[] logits, int[] labels, int batchSize, int classes)
    {
        double total = 0.0;
        for (int example = 0; example < batchSize; example++)
        {
            double[] row = logits.AsSpan(example * classes, classes).ToArray();
            double max = row.Max();
            double logSumExp = max + Math.Log(row.Sum(x => Math.Exp(x - max)));
            total += logSumExp - row[labels[example]];
        }

        return total / batchSize;
    }

    [Fact]
    public void LossAndGradientMatchDoubleReference()
    {
        float[] logits = RandomLogits(seed: 1, scale: 4.0);
        int[] labels = RandomLabels(seed: 2);
        float[] gradients = new float[logits.Length];

        float loss = Losses.SoftmaxCrossEntropy(logits, labels, gradients, BatchSize, Classes);

        double[] logitsInDouble = logits.Select(x => (double)x).ToArray();
        double expectedLoss = ReferenceLoss(logitsInDouble, labels, BatchSize, Classes);
        Assert.Equal(expectedLoss, loss, Math.Abs(expectedLoss) * 1e-6);

        for (int example = 0; example < BatchSize; example++)
        {
            double[] row = logitsInDouble.AsSpan(example * Classes, Classes).ToArray();
            double max = row.Max();
            double sum = row.Sum(x => Math.Exp(x - max));
            for (int j = 0; j < Classes; j++)
            {
                double softmax = Math.Exp(row[j] - max) / sum;
                double expected = (softmax - (j == labels[example] ? 1.0 : 0.0)) / BatchSize;
                Assert.Equal(expected, gradients[example * Classes + j], 1e-7);
            }
        }
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        float[] logits = RandomLogits(seed: 3, scale: 2.0);
        int[] labels = RandomLabels(seed: 4);
        float[] gradients = new float[logits.Length];
        Losses.SoftmaxCrossEntropy(logits, labels, gradients, BatchSize, Classes);

        // Central differences of the double-precision loss with step h have error O(h^2), about 1e-10 here,
        // far below the float rounding of the gradient.
        const double H = 1e-5;
        double[] point = logits.Select(x => (double)x).ToArray();
        for (int i = 0; i < point.Length; i++)
        {
            double original = point[i];
            point[i] = original + H;
            double lossPlus = ReferenceLoss(point, labels, BatchSize, Classes);
            point[i] = original - H;
            double lossMinus = ReferenceLoss(point, labels, BatchSize, Classes);
            point[i] = original;

            double numerical = (lossPlus - lossMinus) / (2 * H);
            Assert.Equal(numerical, gradients[i], 1e-6);
        }
    }

    [Fact]
    public void GradientRowsSumToZero()
    {
        float[] logits = RandomLogits(seed: 5, scale: 10.0);
        int[] labels = RandomLabels(seed: 6);
        float[] gradients = new float[logits.Length];

        Losses.SoftmaxCrossEntropy(logits, labels, gradients, BatchSize, Classes);

        // Softmax and the one-hot target both sum to 1, so only the float rounding of 10 terms, about 1e-7, remains.
        for (int example = 0; example < BatchSize; example++)
        {
            double rowSum = gradients.AsSpan(example * Classes, Classes).ToArray().Sum(g => (double)g);
            Assert.Equal(0.0, rowSum, 1e-7);
        }
    }

    [Fact]
    public void LargeLogitsStayFinite()
    {
        float[] logits = [1000f, -1000f, 0f, 1000f, 1000f, 999f];
        int[] labels = [1, 2];
        float[] gradients = new float[logits.Length];

        float loss = Losses.SoftmaxCrossEntropy(logits, labels, gradients, batchSize: 2, classes: 3);

        // Row 0: log(1 + e^-1000 + e^-2000) + 2000 = 2000. Row 1: log(2 + e^-1) + 1 = 1.8620.
        double expected = (2000.0 + Math.Log(2 + Math.Exp(-1)) + 1) / 2;
        Assert.True(float.IsFinite(loss), $"Loss is {loss}.");
        Assert.Equal(expected, loss, 1e-3);
        Assert.All(gradients, g => Assert.True(float.IsFinite(g), $"Gradient is {g}."));
        Assert.Equal(0.5f, gradients[0]);
        Assert.Equal(-0.5f, gradients[1]);
    }

    [Fact]
    public void LossOnlyMatchesLossWithGradients()
    {
        float[] logits = RandomLogits(seed: 7, scale: 3.0);
        int[] labels = RandomLabels(seed: 8);

        float withGradients = Losses.SoftmaxCrossEntropy(logits, labels, new float[logits.Length], BatchSize, Classes);
        float withoutGradients = Losses.SoftmaxCrossEntropyLoss(logits, labels, BatchSize, Classes);

        Assert.Equal(withGradients, withoutGradients);
    }

    [Fact]
    public void SingleClassHasZeroLoss()
    {
        float[] gradients = [float.NaN];

        float loss = Losses.SoftmaxCrossEntropy([3.5f], [0], gradients, batchSize: 1, classes: 1);

        Assert.Equal(0f, loss);
        Assert.Equal(0f, gradients[0]);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(-1)]
    public void LabelOutOfRangeRejected(int badLabel)
    {
        float[] logits = RandomLogits(seed: 9, scale: 1.0);
        int[] labels = [0, 1, badLabel, 3, 4, 5, 6];
        float[] gradients = Enumerable.Repeat(42f, logits.Length).ToArray();

        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Losses.SoftmaxCrossEntropy(logits, labels, gradients, BatchSize, Classes));

        Assert.Equal("labels", exception.ParamName);
        Assert.Contains($"labels[2] is {badLabel}", exception.Message);
        Assert.Contains("[0, 10)", exception.Message);
        Assert.All(gradients, g => Assert.Equal(42f, g));
    }

    [Fact]
    public void LossOnlyLabelOutOfRangeRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Losses.SoftmaxCrossEntropyLoss([0f, 1f], [2], batchSize: 1, classes: 2));

        Assert.Contains("labels[0] is 2", exception.Message);
    }

    [Fact]
    public void LogitLengthMismatchRejected()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => Losses.SoftmaxCrossEntropy(new float[19], new int[2], new float[19], batchSize: 2, classes: 10));

        Assert.Contains("logits has 19 values; expected 20", exception.Message);
    }

    [Fact]
    public void GradientLengthMismatchRejected()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => Losses.SoftmaxCrossEntropy(new float[20], new int[2], new float[10], batchSize: 2, classes: 10));

        Assert.Contains("logitGradients has 10 values; expected 20", exception.Message);
    }

    [Fact]
    public void CountCorrectUsesArgMax()
    {
        float[] logits =
        [
            0.1f, 0.9f, 0.0f,
            2.0f, 2.0f, 1.0f,
            -1f, -3f, -0.5f,
            5.0f, 1.0f, 0.0f,
        ];
        int[] labels = [1, 1, 2, 1];

        // Rows 0 and 2 are right. Row 1 ties between classes 0 and 1 and goes to class 0, so it is wrong, and row 3 is wrong.
        Assert.Equal(2, Losses.CountCorrect(logits, labels, batchSize: 4, classes: 3));
    }

    [Fact]
    public void ArgMaxPicksFirstOfTies()
    {
        Assert.Equal(1, Losses.ArgMax([1f, 3f, 3f, 2f]));
    }

    [Fact]
    public void ArgMaxReturnsFirstNaN()
    {
        Assert.Equal(2, Losses.ArgMax([1f, 3f, float.NaN, 5f, float.NaN]));
        Assert.Equal(0, Losses.ArgMax([float.NaN, 3f]));
    }

    [Fact]
    public void ArgMaxEmptyRejected()
    {
        Assert.Throws<ArgumentException>(() => Losses.ArgMax([]));
    }
}

using ModelCompiler.Kernels;
using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

/// <summary>
/// BatchNormalization against the reference interpreter in double. Epsilon and momentum are powers of two, so the
/// float arguments equal the reference's double hyperparameters. Error bounds are in <see cref="NormalizationChecks"/>.
/// </summary>
public class BatchNormalizationTests
{
    private const float Epsilon = 1f / 1024;
    private const float Momentum = 0.125f;

    /// <summary>Shapes (batchSize, channels, height, width): flat features, planes with vector tails, and a batch of one.</summary>
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 8, 5, 1, 1 },
        { 4, 3, 5, 5 },
        { 2, 2, 3, 7 },
        { 1, 3, 4, 4 },
        { 3, 2, 6, 11 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Training_MatchesReferenceInterpreter(int batchSize, int channels, int height, int width)
    {
        var random = new Random(601 + batchSize * 100 + channels * 10 + height);
        var shape = new ReferenceShape(channels, height, width);
        int planeSize = height * width;
        float[] x = Shifted(FloatAccuracy.Uniform(random, batchSize * shape.Size, 2.0), 0.5f);
        float[] gamma = FloatAccuracy.Uniform(random, channels, 1.5);
        float[] beta = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] runningMean = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] runningVariance = FloatAccuracy.Uniform(random, channels, 1.0).Select(v => v + 1.5f).ToArray();
        double[] state = [.. runningMean.Select(v => (double)v), .. runningVariance.Select(v => (double)v)];
        OracleResult oracle = ReferenceOracle.Run(
            new BatchNormLayer(Epsilon, Momentum), shape, batchSize, Parameters(gamma, beta), x, seed: 602, ReferenceMode.Training, state);

        float[] y = new float[x.Length];
        float[] savedMean = new float[channels];
        float[] savedInverseStd = new float[channels];
        BatchNormalization.ForwardTraining(
            x, y, gamma, beta, runningMean, runningVariance, savedMean, savedInverseStd, batchSize, channels, planeSize, Epsilon, Momentum);

        var checks = new NormalizationChecks(x, ChannelOf(batchSize, channels, planeSize), channels, ChannelOf(batchSize, channels, planeSize), Epsilon);
        checks.AssertOutput(y, oracle.Output, gamma, beta, "BatchNorm training");
        for (int c = 0; c < channels; c++)
        {
            // Statistics are double sums rounded once; the running averages are double expressions rounded once.
            FloatAccuracy.AssertWithinUlps(savedMean[c], checks.Mean[c], 0.501, $"savedMean[{c}]");
            FloatAccuracy.AssertWithinUlps(savedInverseStd[c], checks.InverseStd[c], 0.501, $"savedInverseStd[{c}]");
            FloatAccuracy.AssertWithinUlps(runningMean[c], oracle.StateAfterForward[c], 0.501, $"runningMean[{c}]");
            FloatAccuracy.AssertWithinUlps(runningVariance[c], oracle.StateAfterForward[channels + c], 0.501, $"runningVariance[{c}]");
        }

        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);
        float[] dx = new float[x.Length];
        float[] gammaGradients = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] betaGradients = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] initialGamma = (float[])gammaGradients.Clone();
        float[] initialBeta = (float[])betaGradients.Clone();
        BatchNormalization.Backward(x, dy, dx, gamma, savedMean, savedInverseStd, gammaGradients, betaGradients, batchSize, channels, planeSize);

        checks.AssertInputGradient(dx, oracle.InputGradient, dy, gamma, "BatchNorm training");
        checks.AssertParameterGradients(
            gammaGradients, betaGradients, initialGamma, initialBeta, oracle.ParameterGradients[..channels], oracle.ParameterGradients[channels..],
            dy, accumulations: 1, "BatchNorm training");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Inference_MatchesReferenceInterpreter(int batchSize, int channels, int height, int width)
    {
        var random = new Random(603 + batchSize * 100 + channels * 10 + height);
        var shape = new ReferenceShape(channels, height, width);
        int planeSize = height * width;
        float[] x = FloatAccuracy.Uniform(random, batchSize * shape.Size, 2.0);
        float[] gamma = FloatAccuracy.Uniform(random, channels, 1.5);
        float[] beta = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] runningMean = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] runningVariance = FloatAccuracy.Uniform(random, channels, 1.0).Select(v => v + 1.5f).ToArray();
        double[] state = [.. runningMean.Select(v => (double)v), .. runningVariance.Select(v => (double)v)];
        OracleResult oracle = ReferenceOracle.Run(
            new BatchNormLayer(Epsilon, Momentum), shape, batchSize, Parameters(gamma, beta), x, seed: 604, ReferenceMode.Evaluation, state);

        float[] y = new float[x.Length];
        float[] dy = ReferenceOracle.ToFloats(oracle.OutputGradient);
        float[] dx = new float[x.Length];
        float[] gammaGradients = new float[channels];
        float[] betaGradients = new float[channels];
        BatchNormalization.ForwardInference(x, y, gamma, beta, runningMean, runningVariance, batchSize, channels, planeSize, Epsilon);
        BatchNormalization.BackwardInference(
            x, dy, dx, gamma, runningMean, runningVariance, gammaGradients, betaGradients, batchSize, channels, planeSize, Epsilon);

        for (int i = 0; i < x.Length; i++)
        {
            int c = i / planeSize % channels;
            double inverseStd = 1.0 / Math.Sqrt(runningVariance[c] + (double)Epsilon);
            double outputMagnitude = Math.Abs(gamma[c]) * inverseStd * (Math.Abs(x[i] - runningMean[c]) + Math.Abs(runningMean[c])) + Math.Abs(beta[c]);

            // y: x - mean, the rounded scale and the fused multiply-add. dx: dy's rounding, the rounded scale and the product.
            FloatAccuracy.AssertClose(y[i], oracle.Output[i], KernelTestData.RoundingBound(4, outputMagnitude), $"BatchNorm inference output {i}");
            FloatAccuracy.AssertRoundings(dx[i], oracle.InputGradient[i], 3, $"BatchNorm inference input gradient {i}");
        }

        for (int c = 0; c < channels; c++)
        {
            double inverseStd = 1.0 / Math.Sqrt(runningVariance[c] + (double)Epsilon);
            int[] members = Enumerable.Range(0, x.Length).Where(i => i / planeSize % channels == c).ToArray();
            double normalizedMagnitude = members.Sum(i => Math.Abs(dy[i] * (x[i] - runningMean[c]) * inverseStd));
            double gradientMagnitude = members.Sum(i => Math.Abs((double)dy[i]));
            FloatAccuracy.AssertClose(
                gammaGradients[c], oracle.ParameterGradients[c], KernelTestData.RoundingBound(3, normalizedMagnitude), $"BatchNorm inference gamma gradient {c}");
            FloatAccuracy.AssertClose(
                betaGradients[c], oracle.ParameterGradients[channels + c], KernelTestData.RoundingBound(2, gradientMagnitude), $"BatchNorm inference beta gradient {c}");
        }
    }

    /// <summary>
    /// With a mean of 1000 and a standard deviation near 0.6, x^2 is about 1e6, where a float ulp is 0.06, while the
    /// variance is about 0.33, so one-pass float statistics (E[x^2] - E[x]^2) would cancel to noise. The kernel's
    /// two double passes must keep the saved mean and 1 / sqrt(variance + epsilon) within half an ulp.
    /// </summary>
    [Fact]
    public void ForwardTraining_LargeMean_KeepsStatisticsAccurate()
    {
        const int batchSize = 8, channels = 2, planeSize = 67;
        float[] x = Shifted(FloatAccuracy.Uniform(new Random(605), batchSize * channels * planeSize, 1.0), 1000f);
        float[] y = new float[x.Length];
        float[] savedMean = new float[channels], savedInverseStd = new float[channels];

        BatchNormalization.ForwardTraining(
            x, y, [1f, 1f], [0f, 0f], new float[channels], new float[channels], savedMean, savedInverseStd, batchSize, channels, planeSize, 1e-5f, 0.1f);

        var checks = new NormalizationChecks(x, ChannelOf(batchSize, channels, planeSize), channels, ChannelOf(batchSize, channels, planeSize), 1e-5f);
        for (int c = 0; c < channels; c++)
        {
            FloatAccuracy.AssertWithinUlps(savedMean[c], checks.Mean[c], 0.501, $"savedMean[{c}]");
            FloatAccuracy.AssertWithinUlps(savedInverseStd[c], checks.InverseStd[c], 0.501, $"savedInverseStd[{c}]");
        }
    }

    [Fact]
    public void SameSpans_MatchSeparateOutputs()
    {
        const int batchSize = 3, channels = 4, planeSize = 13;
        var random = new Random(606);
        float[] x = FloatAccuracy.Uniform(random, batchSize * channels * planeSize, 2.0);
        float[] dy = FloatAccuracy.Uniform(random, x.Length, 1.0);
        float[] gamma = FloatAccuracy.Uniform(random, channels, 1.0), beta = FloatAccuracy.Uniform(random, channels, 1.0);
        float[] savedMean = new float[channels], savedInverseStd = new float[channels];
        float[] y = new float[x.Length], dx = new float[x.Length];
        float[] inPlace = (float[])x.Clone(), gradientInPlace = (float[])dy.Clone();

        BatchNormalization.ForwardTraining(x, y, gamma, beta, new float[channels], new float[channels], savedMean, savedInverseStd, batchSize, channels, planeSize, 1e-5f, 0.1f);
        BatchNormalization.ForwardTraining(inPlace, inPlace, gamma, beta, new float[channels], new float[channels], savedMean, savedInverseStd, batchSize, channels, planeSize, 1e-5f, 0.1f);
        BatchNormalization.Backward(x, dy, dx, gamma, savedMean, savedInverseStd, new float[channels], new float[channels], batchSize, channels, planeSize);
        BatchNormalization.Backward(x, gradientInPlace, gradientInPlace, gamma, savedMean, savedInverseStd, new float[channels], new float[channels], batchSize, channels, planeSize);

        for (int i = 0; i < x.Length; i++)
        {
            FloatAccuracy.AssertBitwiseEqual(y[i], inPlace[i], $"ForwardTraining in place, element {i}");
            FloatAccuracy.AssertBitwiseEqual(dx[i], gradientInPlace[i], $"Backward in place, element {i}");
        }
    }

    /// <summary>
    /// Folding must give a layer whose output equals the unfolded layer followed by inference-mode batch
    /// normalization. A dense layer of 5 outputs over 7 inputs is compared in double against the folded values.
    /// </summary>
    [Fact]
    public void Fold_MatchesDenseThenBatchNorm()
    {
        const int outputs = 5, inputs = 7;
        var random = new Random(607);
        float[] weights = FloatAccuracy.Uniform(random, outputs * inputs, 1.0);
        float[] bias = FloatAccuracy.Uniform(random, outputs, 1.0);
        float[] gamma = FloatAccuracy.Uniform(random, outputs, 1.5);
        float[] beta = FloatAccuracy.Uniform(random, outputs, 1.0);
        float[] runningMean = FloatAccuracy.Uniform(random, outputs, 1.0);
        float[] runningVariance = FloatAccuracy.Uniform(random, outputs, 1.0).Select(v => v + 1.5f).ToArray();
        float[] input = FloatAccuracy.Uniform(random, inputs, 2.0);
        float[] foldedWeights = new float[weights.Length], foldedBias = new float[outputs];

        BatchNormalization.Fold(weights, bias, gamma, beta, runningMean, runningVariance, foldedWeights, foldedBias, outputs, Epsilon);

        for (int o = 0; o < outputs; o++)
        {
            double scale = gamma[o] / Math.Sqrt(runningVariance[o] + (double)Epsilon);
            double dense = bias[o];
            double folded = foldedBias[o];
            double magnitude = Math.Abs(bias[o] - runningMean[o]) * Math.Abs(scale) + Math.Abs(beta[o]);
            for (int i = 0; i < inputs; i++)
            {
                // Each folded weight is the weight times the scale rounded to float: two roundings.
                FloatAccuracy.AssertRoundings(foldedWeights[o * inputs + i], weights[o * inputs + i] * scale, 2, $"foldedWeights[{o}, {i}]");
                dense += (double)weights[o * inputs + i] * input[i];
                folded += (double)foldedWeights[o * inputs + i] * input[i];
                magnitude += Math.Abs(weights[o * inputs + i] * scale * input[i]);
            }

            FloatAccuracy.AssertWithinUlps(foldedBias[o], (bias[o] - runningMean[o]) * scale + beta[o], 0.501, $"foldedBias[{o}]");
            double normalized = (dense - runningMean[o]) * scale + beta[o];
            FloatAccuracy.AssertClose(folded, normalized, KernelTestData.RoundingBound(3, magnitude), $"folded output {o}");
        }
    }

    [Fact]
    public void ForwardTraining_OneValuePerChannel_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => BatchNormalization.ForwardTraining([1f, 2f], new float[2], [1f, 1f], [0f, 0f], new float[2], new float[2], new float[2], new float[2], 1, 2, 1, 1e-5f, 0.1f));

        Assert.Equal("batchSize", exception.ParamName);
        Assert.Contains("batchSize * planeSize is 1 * 1 = 1", exception.Message);
    }

    [Fact]
    public void InvalidArguments_ThrowWithParameterName()
    {
        float[] twelve = new float[12], three = new float[3], two = new float[2];

        var shortY = Assert.Throws<ArgumentException>(
            () => BatchNormalization.ForwardTraining(twelve, new float[11], three, three, three, three, three, three, 2, 3, 2, 1e-5f, 0.1f));
        Assert.Equal("y", shortY.ParamName);
        Assert.Contains("y has 11 elements, but batchSize * channels * planeSize = 12 are required", shortY.Message);
        Assert.Equal("runningVariance", Assert.Throws<ArgumentException>(
            () => BatchNormalization.ForwardTraining(twelve, twelve, three, three, three, two, three, three, 2, 3, 2, 1e-5f, 0.1f)).ParamName);
        Assert.Equal("savedInverseStd", Assert.Throws<ArgumentException>(
            () => BatchNormalization.ForwardTraining(twelve, twelve, three, three, three, three, three, two, 2, 3, 2, 1e-5f, 0.1f)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentException>(
            () => BatchNormalization.ForwardInference(twelve, twelve, three, two, three, three, 2, 3, 2, 1e-5f)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(
            () => BatchNormalization.Backward(twelve, new float[11], twelve, three, three, three, three, three, 2, 3, 2)).ParamName);
        Assert.Equal("betaGradients", Assert.Throws<ArgumentException>(
            () => BatchNormalization.BackwardInference(twelve, twelve, twelve, three, three, three, three, two, 2, 3, 2, 1e-5f)).ParamName);
        Assert.Equal("channels", Assert.Throws<ArgumentOutOfRangeException>(
            () => BatchNormalization.ForwardInference(twelve, twelve, three, three, three, three, 2, -3, 2, 1e-5f)).ParamName);

        var fold = Assert.Throws<ArgumentException>(() => BatchNormalization.Fold(new float[10], three, three, three, three, three, twelve, three, 3, 1e-5f));
        Assert.Equal("weights", fold.ParamName);
        Assert.Contains("weights has 10 elements, which is not a multiple of outputs = 3", fold.Message);
        Assert.Equal("foldedBias", Assert.Throws<ArgumentException>(
            () => BatchNormalization.Fold(twelve, three, three, three, three, three, twelve, two, 3, 1e-5f)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentOutOfRangeException>(
            () => BatchNormalization.Fold(twelve, three, three, three, three, three, twelve, three, 0, 1e-5f)).ParamName);
    }

    /// <summary>Returns gamma then beta in double, the reference's parameter layout.</summary>
    private static double[] Parameters(float[] gamma, float[] beta) => [.. gamma.Select(v => (double)v), .. beta.Select(v => (double)v)];

    /// <summary>Returns the channel of every element of a [batchSize, channels, planeSize] tensor.</summary>
    private static int[] ChannelOf(int batchSize, int channels, int planeSize) =>
        Enumerable.Range(0, batchSize * channels * planeSize).Select(i => i / planeSize % channels).ToArray();

    private static float[] Shifted(float[] values, float offset) => values.Select(v => v + offset).ToArray();
}

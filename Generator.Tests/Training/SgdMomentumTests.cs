using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Training;

public class SgdMomentumTests
{
    // 37 values so that both the vectorized loop and the scalar remainder run, whatever the vector width.
    private const int Length = 37;

    private static float[] Tile(params float[] pattern) =>
        Enumerable.Range(0, Length).Select(i => pattern[i % pattern.Length]).ToArray();

    [Fact]
    public void TwoStepsMatchFormulaExactly()
    {
        // With learning rate 0.5, momentum 0.5 and weight decay 0.25, every intermediate value is a short binary fraction.
        var optimizer = new SgdMomentum(learningRate: 0.5f, momentum: 0.5f, weightDecay: 0.25f);
        float[] parameters = Tile(1f, -2f, 4f);

        // Step 1: g = grad + 0.25 p = (0.75, 0.5, -1), v = g, p = p - 0.5 v = (0.625, -2.25, 4.5).
        optimizer.Step(parameters, Tile(0.5f, 1f, -2f));
        Assert.Equal(Tile(0.625f, -2.25f, 4.5f), parameters);

        // Step 2: g = (1, -1, 0.5) + 0.25 p = (1.15625, -1.5625, 1.625),
        // v = 0.5 v + g = (1.53125, -1.3125, 1.125), p = p - 0.5 v = (-0.140625, -1.59375, 3.9375).
        optimizer.Step(parameters, Tile(1f, -1f, 0.5f));
        Assert.Equal(Tile(-0.140625f, -1.59375f, 3.9375f), parameters);
    }

    [Fact]
    public void ZeroMomentumIsPlainSgd()
    {
        var optimizer = new SgdMomentum(learningRate: 0.25f, momentum: 0f, weightDecay: 0.5f);
        float[] parameters = Tile(2f, -4f);

        // g = grad + 0.5 p = (1 + 1, 2 - 2) = (2, 0), then p = p - 0.25 g = (1.5, -4).
        optimizer.Step(parameters, Tile(1f, 2f));
        Assert.Equal(Tile(1.5f, -4f), parameters);

        // g = (1 + 0.75, 2 - 2) = (1.75, 0), then p = (1.5 - 0.4375, -4) = (1.0625, -4), with no momentum carried over.
        optimizer.Step(parameters, Tile(1f, 2f));
        Assert.Equal(Tile(1.0625f, -4f), parameters);
    }

    [Fact]
    public void LearningRateChangeAppliesToNextStep()
    {
        var optimizer = new SgdMomentum(learningRate: 1f, momentum: 0.5f);
        float[] parameters = Tile(0f);

        optimizer.Step(parameters, Tile(1f));
        optimizer.LearningRate = 0.25f;
        optimizer.Step(parameters, Tile(1f));

        // Step 1: v = 1, p = -1. Step 2: v = 0.5 + 1 = 1.5, p = -1 - 0.25 x 1.5 = -1.375.
        Assert.Equal(0.25f, optimizer.LearningRate);
        Assert.Equal(Tile(-1.375f), parameters);
    }

    [Fact]
    public void StepsAfterFirstDoNotAllocate()
    {
        var optimizer = new SgdMomentum(learningRate: 0.1f);
        float[] parameters = new float[1000];
        float[] gradients = Enumerable.Range(0, 1000).Select(i => i * 0.001f).ToArray();
        optimizer.Step(parameters, gradients);
        optimizer.Step(parameters, gradients);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            optimizer.Step(parameters, gradients);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LengthMismatchRejected()
    {
        var optimizer = new SgdMomentum(learningRate: 0.1f);

        var exception = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[3], new float[2]));

        Assert.Contains("parameters has 3 values but gradients has 2", exception.Message);
    }

    [Fact]
    public void OtherBufferLengthRejected()
    {
        var optimizer = new SgdMomentum(learningRate: 0.1f);
        optimizer.Step(new float[5], new float[5]);

        var exception = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[4], new float[4]));

        Assert.Contains("parameters has 4 values", exception.Message);
        Assert.Contains("allocated for 5", exception.Message);
    }

    [Theory]
    [InlineData(-0.1f, 0.9f, 0f, "learningRate")]
    [InlineData(float.NaN, 0.9f, 0f, "learningRate")]
    [InlineData(0.1f, -0.5f, 0f, "momentum")]
    [InlineData(0.1f, 0.9f, float.PositiveInfinity, "weightDecay")]
    public void InvalidHyperparameterRejected(float learningRate, float momentum, float weightDecay, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new SgdMomentum(learningRate, momentum, weightDecay));

        Assert.Equal(parameterName, exception.ParamName);
    }

    [Fact]
    public void NegativeLearningRateSetRejected()
    {
        var optimizer = new SgdMomentum(learningRate: 0.1f);

        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1f);
        Assert.Equal(0.1f, optimizer.LearningRate);
    }
}

using ModelCompiler.Kernels;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

public class ActivationsTests
{
    private static readonly float[] SpecialValues =
        [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, float.MaxValue, -float.MaxValue];

    [Fact]
    public void Relu_LengthSweep_MatchesDefinition()
    {
        var random = new Random(21);
        for (int length = 0; length <= 70; length++)
        {
            float[] x = InputsWithSpecialValues(random, length);
            float[] y = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);

            Activations.Relu(x, y.AsSpan(0, length));

            for (int i = 0; i < length; i++)
            {
                AssertBitwiseEqual(ExpectedRelu(x[i]), y[i], $"Relu length {length}, x[{i}] = {x[i]}");
            }

            KernelTestData.AssertSentinelsIntact(y, length, $"Relu length {length}");
        }
    }

    [Fact]
    public void Relu_InPlace_MatchesDefinition()
    {
        var random = new Random(22);
        for (int length = 0; length <= 70; length++)
        {
            float[] x = InputsWithSpecialValues(random, length);
            float[] y = (float[])x.Clone();

            Activations.Relu(y, y);

            for (int i = 0; i < length; i++)
            {
                AssertBitwiseEqual(ExpectedRelu(x[i]), y[i], $"Relu in place, length {length}, x[{i}] = {x[i]}");
            }
        }
    }

    [Fact]
    public void ReluBackward_LengthSweep_MatchesDefinition()
    {
        var random = new Random(23);
        for (int length = 0; length <= 70; length++)
        {
            float[] y = InputsWithSpecialValues(random, length);
            float[] dy = KernelTestData.RandomFloats(random, length);
            float[] dx = KernelTestData.RandomFloatsWithSentinels(random, length, padding: 3);

            Activations.ReluBackward(y, dy, dx.AsSpan(0, length));

            for (int i = 0; i < length; i++)
            {
                AssertBitwiseEqual(y[i] > 0 ? dy[i] : 0f, dx[i], $"ReluBackward length {length}, y[{i}] = {y[i]}");
            }

            KernelTestData.AssertSentinelsIntact(dx, length, $"ReluBackward length {length}");
        }
    }

    [Fact]
    public void ReluBackward_InPlace_MatchesDefinition()
    {
        var random = new Random(24);
        for (int length = 0; length <= 70; length++)
        {
            float[] y = InputsWithSpecialValues(random, length);
            float[] dy = KernelTestData.RandomFloats(random, length);
            float[] gradient = (float[])dy.Clone();

            Activations.ReluBackward(y, gradient, gradient);

            for (int i = 0; i < length; i++)
            {
                AssertBitwiseEqual(y[i] > 0 ? dy[i] : 0f, gradient[i], $"ReluBackward in place, length {length}, y[{i}] = {y[i]}");
            }
        }
    }

    [Fact]
    public void ReluBackward_NaNOrZero_GivesZero()
    {
        float[] y = [float.NaN, 0f, -0f, -1f, 2f];
        float[] dx = new float[5];

        Activations.ReluBackward(y, [1f, 1f, 1f, 1f, 1f], dx);

        Assert.Equal([0f, 0f, 0f, 0f, 1f], dx);
    }

    [Fact]
    public void Activations_ShortSpans_ThrowWithParameterName()
    {
        float[] five = new float[5], four = new float[4];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Relu(five, four)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => Activations.ReluBackward(five, four, five)).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Activations.ReluBackward(five, five, four)).ParamName);
    }

    /// <summary>ReLU as documented: max(0, x) with NaN kept and -0 mapped to +0.</summary>
    private static float ExpectedRelu(float x)
    {
        if (float.IsNaN(x))
        {
            return float.NaN;
        }

        return x > 0 ? x : 0f;
    }

    /// <summary>Returns random values in [-1, 1) with each special value planted at a random position when it fits.</summary>
    private static float[] InputsWithSpecialValues(Random random, int length)
    {
        float[] values = KernelTestData.RandomFloats(random, length);
        foreach (float special in SpecialValues)
        {
            if (length > 0)
            {
                values[random.Next(length)] = special;
            }
        }

        return values;
    }

    /// <summary>Compares bit patterns, so that NaN matches NaN and -0 differs from +0. Any NaN payload is accepted.</summary>
    private static void AssertBitwiseEqual(float expected, float actual, string context)
    {
        bool equal = float.IsNaN(expected)
            ? float.IsNaN(actual)
            : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual);
        Assert.True(equal, $"{context}: got {actual} (bits {BitConverter.SingleToInt32Bits(actual):X8}), expected {expected}.");
    }
}

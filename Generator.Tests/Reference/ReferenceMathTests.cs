using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Reference;

/// <summary>
/// <see cref="ReferenceMath.Erf"/> and <see cref="ReferenceMath.Erfc"/> against values computed with mpmath 1.3.0 at
/// 50 significant digits and rounded to double, to a relative error of 1e-15.
/// </summary>
public class ReferenceMathTests
{
    private const double Tolerance = 1e-15;

    public static TheoryData<double, double> ErfValues => new()
    {
        { 1e-300, 1.1283791670955126e-300 },
        { 1e-10, 1.1283791670955126e-10 },
        { 0.1, 0.1124629160182849 },
        { 0.25, 0.27632639016823696 },
        { 0.5, 0.5204998778130465 },
        { 0.75, 0.7111556336535151 },
        { 1, 0.8427007929497149 },
        { 1.5, 0.9661051464753108 },
        { 2, 0.9953222650189527 },
        { 3, 0.9999779095030014 },
        { 4, 0.9999999845827421 },
        { 5, 0.9999999999984626 },
        { 6, 1.0 },
    };

    public static TheoryData<double, double> ErfcValues => new()
    {
        { -3, 1.9999779095030015 },
        { -1, 1.8427007929497148 },
        { 0, 1.0 },
        { 0.1, 0.8875370839817152 },
        { 0.5, 0.4795001221869535 },
        { 1, 0.15729920705028513 },
        { 2, 0.004677734981047266 },
        { 3, 2.209049699858544e-05 },
        { 5, 1.537459794428035e-12 },
        { 10, 2.088487583762545e-45 },
        { 15, 7.212994172451207e-100 },
        { 20, 5.395865611607901e-176 },
        { 26, 5.663192408856143e-296 },

        // Arguments whose square is not a double, so exp(-x^2) needs the rounding error of x * x corrected.
        { 1.7, 0.01620954140922544 },
        { 3.3, 3.0577097964381654e-06 },
        { 5.7, 7.566211621862486e-16 },
        { 10.1, 2.770896983131174e-46 },
        { 17.3, 3.409266382045084e-132 },
        { 25.3, 2.293036860845902e-280 },
    };

    [Theory]
    [MemberData(nameof(ErfValues))]
    public void ErfMatchesKnownValue(double x, double expected)
    {
        AssertRelative(expected, ReferenceMath.Erf(x));
        AssertRelative(-expected, ReferenceMath.Erf(-x));
    }

    [Theory]
    [MemberData(nameof(ErfcValues))]
    public void ErfcMatchesKnownValue(double x, double expected)
    {
        AssertRelative(expected, ReferenceMath.Erfc(x));
    }

    [Fact]
    public void ErfSpecialValues()
    {
        Assert.Equal(0.0, ReferenceMath.Erf(0.0));
        Assert.True(double.IsNegative(ReferenceMath.Erf(-0.0)), "erf(-0) should be -0");
        Assert.Equal(1.0, ReferenceMath.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, ReferenceMath.Erf(double.NegativeInfinity));
        Assert.True(double.IsNaN(ReferenceMath.Erf(double.NaN)), "erf(NaN) should be NaN");
    }

    [Fact]
    public void ErfcSpecialValues()
    {
        Assert.Equal(0.0, ReferenceMath.Erfc(double.PositiveInfinity));
        Assert.Equal(0.0, ReferenceMath.Erfc(30.0));
        Assert.Equal(2.0, ReferenceMath.Erfc(double.NegativeInfinity));
        Assert.True(double.IsNaN(ReferenceMath.Erfc(double.NaN)), "erfc(NaN) should be NaN");
    }

    [Fact]
    public void ErfAndErfcAreComplementary()
    {
        // Where neither value is tiny, erf(x) + erfc(x) = 1 to a few ulps.
        for (double x = -3; x <= 3; x += 0.125)
        {
            double sum = ReferenceMath.Erf(x) + ReferenceMath.Erfc(x);
            Assert.True(Math.Abs(sum - 1.0) <= 4e-16, $"erf({x}) + erfc({x}) = {sum:R}");
        }
    }

    [Fact]
    public void ErfcContinuousAtMethodBoundaries()
    {
        // Erf switches methods at 1 and Erfc at 0.5. Values on either side must agree to the local slope,
        // erfc'(x) = -2 / sqrt(pi) exp(-x^2), within a few ulps.
        foreach (double boundary in new[] { 0.5, 1.0 })
        {
            double below = Math.BitDecrement(boundary);
            double erfcJump = ReferenceMath.Erfc(boundary) - ReferenceMath.Erfc(below);
            double erfJump = ReferenceMath.Erf(boundary) - ReferenceMath.Erf(below);
            double slopeStep = 2 / Math.Sqrt(Math.PI) * Math.Exp(-boundary * boundary) * (boundary - below);

            Assert.True(Math.Abs(erfcJump + slopeStep) <= 4e-16, $"erfc jump at {boundary}: {erfcJump:R}");
            Assert.True(Math.Abs(erfJump - slopeStep) <= 4e-16, $"erf jump at {boundary}: {erfJump:R}");
        }
    }

    private static void AssertRelative(double expected, double actual)
    {
        double difference = Math.Abs(expected - actual);
        Assert.True(
            difference <= Tolerance * Math.Abs(expected),
            $"expected {expected:R}, actual {actual:R}, relative difference {difference / Math.Abs(expected):G3}");
    }
}

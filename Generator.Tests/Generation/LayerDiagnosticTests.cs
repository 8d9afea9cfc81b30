using ModelCompiler.Tests.Infrastructure;
using Xunit;
using static ModelCompiler.Tests.Infrastructure.DiagnosticAssert;

namespace ModelCompiler.Tests.Generation;

/// <summary>
/// Diagnostics of the rectangular, dilated and padded windows, the activations with arguments, the
/// normalization layers and the initializers: one id, severity and span per invalid case.
/// </summary>
public sealed class LayerDiagnosticTests
{
    private const string Usings = "using ModelCompiler;\n";

    private static string Model(string input, string layers, string loss = "[SoftmaxCrossEntropy]") =>
        Usings + "[Model(" + input + ")]\n" + layers + "\n" + loss + "\npublic partial class Net { }";

    [Fact]
    public void SquareAndRectangularKernelTogetherConflict()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 8, Width = 8", "[Conv2D(Filters = 2, Size = 3, [|KernelHeight = 5|])]"), "MC0012");

        Assert.Contains("Size and KernelHeight both set the height", diagnostic.GetMessage());
    }

    [Fact]
    public void MissingKernelWidthOfRectangularKernelIsReported()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 8, Width = 8", "[[|Conv2D|](Filters = 2, KernelHeight = 3)]"), "MC0004");

        Assert.Contains("KernelWidth = 0 (not set) is invalid: it must be at least 1", diagnostic.GetMessage());
    }

    [Fact]
    public void NonIntegralWidthIsReportedOnStrideWidth()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 9, Width = 10", "[Conv2D(Filters = 2, KernelHeight = 3, KernelWidth = 3, StrideHeight = 2, [|StrideWidth = 2|])]"), "MC0005");

        string message = diagnostic.GetMessage();
        Assert.Contains("output width = (10 - 3 + 2*0)/2 + 1 = 4.5 is not a whole number", message);
        Assert.Contains("StrideWidth = 1 (output 8)", message);
        Assert.DoesNotContain("PaddingWidth", message);
    }

    [Fact]
    public void DilatedKernelLargerThanInputIsReported()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 6, Width = 6", "[Conv2D(Filters = 2, [|Size = 3|], Dilation = 3)]"), "MC0006");

        Assert.Contains("Size = 3 (spanning 7 with dilation 3) is larger than the padded input height 6 + 2*0 = 6; use Size <= 2 at this dilation", diagnostic.GetMessage());
    }

    [Fact]
    public void NonIntegralDilatedOutputShowsDilationRule()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 10, Width = 10", "[Conv2D(Filters = 2, Size = 3, Dilation = 2, [|Stride = 4|])]"), "MC0005");

        Assert.Contains("(10 + 2*0 - 2*(3 - 1) - 1)/4 + 1 = 2.25", diagnostic.GetMessage());
    }

    [Fact]
    public void PoolingPaddingAboveHalfWindowIsReported()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 8, Width = 8", "[MaxPool2D(Size = 3, Stride = 1, [|Padding = 2|])]"), "MC0004");

        Assert.Contains("Padding = 2 is invalid: it must be at most half the window, 1", diagnostic.GetMessage());
    }

    [Fact]
    public void AverageAndMaxPoolingAcceptPaddingUpToHalf()
    {
        var run = GeneratorHarness.Run(Model("Channels = 2, Height = 7, Width = 7", "[AvgPool2D(Size = 3, Stride = 2, Padding = 1, CountIncludePadding = false)]\n[MaxPool2D(Size = 2, Padding = 1)]"));

        Assert.Empty(run.Result.Diagnostics);
        Assert.Single(run.GeneratedSources);
    }

    [Fact]
    public void MaxoutPiecesMustDivideChannels()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 1, Width = 4", "[Dense(10)]\n[Maxout([|Pieces = 3|])]"), "MC0013");

        Assert.Contains("Pieces = 3 does not divide the 10 input channels; valid values: 2, 5, 10", diagnostic.GetMessage());
    }

    [Fact]
    public void MaxoutNeedsTwoPieces()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 1, Width = 4", "[Dense(10)]\n[Maxout([|Pieces = 1|])]"), "MC0004");

        Assert.Contains("Pieces = 1 is invalid: it must be at least 2", diagnostic.GetMessage());
    }

    [Fact]
    public void GroupNormGroupsMustDivideChannels()
    {
        var diagnostic = Single(Model("Channels = 6, Height = 4, Width = 4", "[GroupNorm([|Groups = 4|])]"), "MC0013");

        Assert.Contains("Groups = 4 does not divide the 6 input channels; valid values: 1, 2, 3, 6", diagnostic.GetMessage());
    }

    [Fact]
    public void InstanceNormOnSingleValueIsReported()
    {
        var diagnostic = Single(Model("Channels = 4, Height = 4, Width = 4", "[GlobalAvgPool2D]\n[[|InstanceNorm|]]"), "MC0014");

        Assert.Contains("normalizes over 1x1 = 1 value per channel of each example", diagnostic.GetMessage());
    }

    [Fact]
    public void BatchNormMomentumAboveOneIsReported()
    {
        var diagnostic = Single(Model("Channels = 2, Height = 4, Width = 4", "[BatchNorm([|Momentum = 1.5|])]"), "MC0004");

        Assert.Contains("Momentum = 1.5 is invalid: it must be a number from 0 to 1", diagnostic.GetMessage());
    }

    [Fact]
    public void NormalizationEpsilonMustBePositive()
    {
        var diagnostic = Single(Model("Channels = 2, Height = 4, Width = 4", "[LayerNorm([|Epsilon = 0|])]"), "MC0004");

        Assert.Contains("Epsilon = 0 is invalid: it must be a finite number greater than 0", diagnostic.GetMessage());
    }

    [Fact]
    public void NonFiniteSlopeIsReported()
    {
        var diagnostic = Single(Model("Channels = 2, Height = 4, Width = 4", "[LeakyReLU([|Slope = double.NaN|])]"), "MC0004");

        Assert.Contains("Slope = NaN is invalid: it must be a finite number", diagnostic.GetMessage());
    }

    [Fact]
    public void UnknownGeluApproximationIsReported()
    {
        var diagnostic = Single(Model("Channels = 2, Height = 4, Width = 4", "[GELU([|Approximation = (GeluApproximation)5|])]"), "MC0004");

        Assert.Contains("Approximation = 5 is invalid", diagnostic.GetMessage());
    }

    [Fact]
    public void UnknownInitializerIsReported()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 1, Width = 4", "[Dense(3, [|Initializer = (Initializer)42|])]"), "MC0004");

        Assert.Contains("Initializer = 42 is invalid: it must be a named Initializer value", diagnostic.GetMessage());
    }

    [Fact]
    public void GlobalPoolingAfterDenseIsReported()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 4, Width = 4", "[Dense(8)]\n[[|GlobalAvgPool2D|]]"), "MC0009");

        Assert.Contains("GlobalAvgPool2D (layer 2) needs an input with height and width", diagnostic.GetMessage());
    }

    [Fact]
    public void HingeLossBeforeLastLayerIsReported()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 1, Width = 4)]
            [Dense(3)]
            [[|MulticlassHinge|]]
            [Tanh]
            public partial class Net { }
            """, "MC0007");

        Assert.Contains("MulticlassHinge (layer 2) is a loss and must be the last layer, but Tanh (layer 3) follows it", diagnostic.GetMessage());
    }

    [Fact]
    public void LargeKernelGetsInformationAndWorkingCode()
    {
        var run = GeneratorHarness.Run(Model("Channels = 1, Height = 12, Width = 12", "[Conv2D(Filters = 2, Size = 9)]"));

        var diagnostic = Assert.Single(run.Result.Diagnostics);
        Assert.Equal("MC0100", diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Contains("Conv2D (layer 1) has 81 kernel taps, more than the 64 that the generator unrolls", diagnostic.GetMessage());
        Assert.Single(run.GeneratedSources);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }

    [Fact]
    public void RecordModelIsReported()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 1, Width = 4)]
            [Dense(3)]
            [SoftmaxCrossEntropy]
            public sealed partial record [|Net|](int X);
            """, "MC0002");

        Assert.Contains("records are not supported; declare the model as a class", diagnostic.GetMessage());
    }

    [Fact]
    public void ClassNamedLikeGeneratedMemberIsReported()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 1, Width = 4)]
            [Dense(3)]
            [SoftmaxCrossEntropy]
            public partial class [|Forward|] { }
            """, "MC0002");

        Assert.Contains("'Forward' is also the name of a generated member", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("[LeakyReLU([|Slope = 1e39|])]", "Slope = 1E+39 is invalid: it must be a finite number that a 32-bit float can represent")]
    [InlineData("[BatchNorm([|Epsilon = 1e-50|])]", "Epsilon = 1E-50 is invalid: it must be a finite number greater than 0 that a 32-bit float can represent")]
    public void RealValueOutsideFloatIsReported(string layer, string expected)
    {
        var diagnostic = Single(Model("Channels = 2, Height = 4, Width = 4", layer), "MC0004");

        Assert.Contains(expected, diagnostic.GetMessage());
    }

    [Fact]
    public void DivisorListIsShortForHugeChannelCounts()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 1, Width = 4", "[Dense(720720)]\n[Maxout([|Pieces = 17|])]"), "MC0013");

        Assert.Contains("valid values: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, and 227 more", diagnostic.GetMessage());
    }

    [Fact]
    public void LayerNormOnSingleValueIsReported()
    {
        var diagnostic = Single(Model("Channels = 1, Height = 1, Width = 4", "[Dense(1)]\n[[|LayerNorm|]]"), "MC0014");

        Assert.Contains("LayerNorm (layer 2) normalizes over 1 value per example", diagnostic.GetMessage());
    }
}

using Microsoft.CodeAnalysis;
using ModelCompiler.Tests.Infrastructure;
using static ModelCompiler.Tests.Infrastructure.DiagnosticAssert;
using Xunit;

namespace ModelCompiler.Tests.Generation;

/// <summary>
/// Every invalid declaration gets its own diagnostic id, error severity, and a span on the argument at fault.
/// Each case marks the expected span with [| and |] in the source.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using ModelCompiler;\n";

    [Fact]
    public void NonIntegralStrideIsReportedOnStride()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 28, Width = 28)]
            [Conv2D(Filters = 8, Size = 5, [|Stride = 3|])]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0005");

        string message = diagnostic.GetMessage();
        Assert.Contains("(28 - 5 + 2*0)/3 + 1 = 8.67 is not a whole number", message);
        Assert.Contains("Conv2D (layer 1)", message);
        Assert.Contains("nearest valid settings: Padding = 2 (output 10), Stride = 1 (output 24), Stride = 23 (output 2)", message);
    }

    [Fact]
    public void NonIntegralHeightOfRectangularInputNamesHeight()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 28, Width = 27)]
            [Conv2D(Filters = 2, Size = 5, [|Stride = 2|])]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0005");

        string message = diagnostic.GetMessage();
        Assert.Contains("output height = (28 - 5 + 2*0)/2 + 1 = 12.5 is not a whole number", message);
        Assert.Contains("nearest valid settings: Stride = 1 (output 24x23)", message);
        Assert.DoesNotContain("Padding =", message);
    }

    [Fact]
    public void NonIntegralPoolingIsReportedOnSize()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 7, Width = 7)]
            [MaxPool2D([|Size = 2|])]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0005");

        string message = diagnostic.GetMessage();
        Assert.Contains("MaxPool2D (layer 1): output height and width = (7 - 2)/2 + 1 = 3.5 is not a whole number", message);
        Assert.Contains("nearest valid settings: Size = 1 with Stride = 2 (output 4), Size = 3 with Stride = 2 (output 3), Stride = 1 (output 6), Stride = 5 (output 2)", message);
    }

    [Fact]
    public void KernelLargerThanPaddedInputIsReportedOnSize()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 3, Height = 4, Width = 6)]
            [Conv2D(Filters = 4, [|Size = 7|], Padding = 1)]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0006");

        Assert.Contains("Size = 7 is larger than the padded input height 4 + 2*1 = 6; use Size <= 6", diagnostic.GetMessage());
    }

    [Fact]
    public void PoolingWindowLargerThanInputIsReportedOnSize()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 3, Width = 3)]
            [MaxPool2D([|Size = 4|], Stride = 1)]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0006");

        Assert.Contains("Size = 4 is larger than the input height 3; use Size <= 3", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("[Conv2D([|Filters = 0|], Size = 3)]", "Filters = 0 is invalid: it must be at least 1")]
    [InlineData("[Conv2D(Filters = 2, [|Size = -1|])]", "Size = -1 is invalid: it must be at least 1")]
    [InlineData("[Conv2D(Filters = 2, Size = 3, [|Stride = 0|])]", "Stride = 0 is invalid: it must be at least 1")]
    [InlineData("[Conv2D(Filters = 2, Size = 3, [|Padding = -2|])]", "Padding = -2 is invalid: it must be at least 0")]
    [InlineData("[MaxPool2D([|Size = 0|])]", "Size = 0 is invalid: it must be at least 1")]
    [InlineData("[MaxPool2D(Size = 2, [|Stride = -1|])]", "Stride = -1 is invalid: it must be at least 1")]
    [InlineData("[Dense([|0|])]", "Units = 0 is invalid: it must be at least 1")]
    [InlineData("[Dense([|-5|])]", "Units = -5 is invalid: it must be at least 1")]
    public void NonPositiveLayerArgumentIsReportedOnIt(string layer, string expected)
    {
        var diagnostic = Single(Usings + "[Model(Channels = 1, Height = 8, Width = 8)]\n" + layer + "\n[SoftmaxCrossEntropy]\npublic partial class Net { }", "MC0004");

        Assert.Contains(expected, diagnostic.GetMessage());
    }

    [Fact]
    public void MissingFilterCountIsReportedOnAttributeName()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 8, Width = 8)]
            [[|Conv2D|](Size = 3)]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0004");

        Assert.Contains("Filters = 0 (not set) is invalid", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("[Model(Channels = 1, [|Height = 0|], Width = 8)]", "Height = 0")]
    [InlineData("[Model([|Channels = -3|], Height = 8, Width = 8)]", "Channels = -3")]
    public void InvalidInputDimensionIsReportedOnIt(string model, string expected)
    {
        var diagnostic = Single(Usings + model + "\n[Dense(2)]\n[SoftmaxCrossEntropy]\npublic partial class Net { }", "MC0003");

        Assert.Contains("Model input " + expected + " is invalid", diagnostic.GetMessage());
    }

    [Fact]
    public void ClassWithoutPartialIsReportedOnItsName()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 4, Width = 4)]
            [Dense(3)]
            [SoftmaxCrossEntropy]
            public class [|Net|] { }
            """, "MC0001");

        Assert.Contains("'Net' must be declared partial", diagnostic.GetMessage());
    }

    [Fact]
    public void LossBeforeLastLayerIsReportedOnLoss()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 4, Width = 4)]
            [Dense(3)]
            [[|SoftmaxCrossEntropy|]]
            [ReLU]
            public partial class Net { }
            """, "MC0007");

        Assert.Contains("SoftmaxCrossEntropy (layer 2) is a loss and must be the last layer, but ReLU (layer 3) follows it", diagnostic.GetMessage());
    }

    [Fact]
    public void MissingLossIsReportedOnClassName()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 4, Width = 4)]
            [Dense(3)]
            public partial class [|Net|] { }
            """, "MC0008");

        Assert.Contains("add [SoftmaxCrossEntropy]", diagnostic.GetMessage());
    }

    [Fact]
    public void ConvolutionAfterDenseIsReportedOnConvolution()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 8, Width = 8)]
            [Dense(16)]
            [[|Conv2D|](Filters = 2, Size = 3)]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0009");

        Assert.Contains("Dense (layer 1) outputs a flat vector of 16 values", diagnostic.GetMessage());
    }

    [Fact]
    public void LayerOnOtherPartialDeclarationIsReported()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 4, Width = 4)]
            [Dense(3)]
            [SoftmaxCrossEntropy]
            public partial class Net { }

            [[|Dense(5)|]]
            public partial class Net { }
            """, "MC0010");

        Assert.Contains("[Dense] is on a partial declaration of 'Net' that does not carry [Model]", diagnostic.GetMessage());
    }

    [Fact]
    public void GenericModelClassIsReported()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 4, Width = 4)]
            [Dense(3)]
            [SoftmaxCrossEntropy]
            public partial class [|Net|]<T> { }
            """, "MC0002");

        Assert.Contains("generic model classes are not supported", diagnostic.GetMessage());
    }

    [Fact]
    public void OversizedLayerIsReported()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 4096, Width = 4096)]
            [[|Conv2D|](Filters = 64, Size = 1)]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0011");

        Assert.Contains("1073741824 output values per example, more than the limit of 67108864", diagnostic.GetMessage());
    }

    [Fact]
    public void InvalidModelGeneratesNoSource()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Model(Channels = 1, Height = 28, Width = 28)]
            [Conv2D(Filters = 8, Size = 5, Stride = 3)]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """);

        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void AttributeThatDoesNotBindReportsOnlyCompilerError()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Model(Channels = 1, Height = 4, Width = 4)]
            [Dense("ten")]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """);

        Assert.Empty(run.Result.Diagnostics);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void HugeStrideIsReportedWithoutLongSearch()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 5, Width = 5)]
            [Conv2D(Filters = 1, Size = 3, [|Stride = 2147483647|])]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0005");

        string message = diagnostic.GetMessage();
        Assert.Contains("(5 - 3 + 2*0)/2147483647 + 1 = 1.000000", message);
        Assert.Contains("Stride = 2 (output 2)", message);
        Assert.DoesNotContain("Padding = 2147483646", message);
    }

    [Fact]
    public void HugePaddingIsReportedAsTooLarge()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 1, Width = 1)]
            [[|Conv2D|](Filters = 1, Size = 1, Padding = 2147483647)]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0011");

        Assert.Contains("Conv2D (layer 1) needs 1.8446744", diagnostic.GetMessage());
        Assert.Contains("output values per example, more than the limit of 67108864", diagnostic.GetMessage());
    }

    [Fact]
    public void OversizedInputIsReportedOnModel()
    {
        var diagnostic = Single(Usings + """
            [[|Model|](Channels = 1, Height = 10000, Width = 10000)]
            [Dense(1)]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0011");

        Assert.Contains("The model input needs 100000000 values per example, more than the limit of 67108864", diagnostic.GetMessage());
    }

    [Fact]
    public void FractionCloseToWholeIsNotRoundedAway()
    {
        var diagnostic = Single(Usings + """
            [Model(Channels = 1, Height = 28, Width = 28)]
            [Conv2D(Filters = 1, Size = 5, [|Stride = 1000000|])]
            [SoftmaxCrossEntropy]
            public partial class Net { }
            """, "MC0005");

        Assert.Contains("(28 - 5 + 2*0)/1000000 + 1 = 1.000023 is not a whole number", diagnostic.GetMessage());
    }
}

using ModelCompiler.Tests.Infrastructure;
using Xunit;

namespace ModelCompiler.Tests.Generation;

/// <summary>The emitted code of the sample network: the reviewed snapshot, and a clean compilation.</summary>
public sealed class EmittedCodeTests
{
    public const string LeNetDeclaration = """
        using ModelCompiler;

        namespace Samples;

        [Model(Channels = 1, Height = 28, Width = 28)]
        [Conv2D(Filters = 8, Size = 5, Padding = 2)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Conv2D(Filters = 16, Size = 5)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Dense(120)]
        [ReLU]
        [Dense(84)]
        [ReLU]
        [Dense(10)]
        [SoftmaxCrossEntropy]
        public sealed partial class LeNet5
        {
        }
        """;

    /// <summary>A model with every layer kind, activation, normalization and the hinge loss.</summary>
    public const string EveryLayerDeclaration = """
        using ModelCompiler;

        namespace Samples;

        [Model(Channels = 3, Height = 16, Width = 16)]
        [Conv2D(Filters = 8, Size = 3, Padding = 1)]
        [BatchNorm]
        [ReLU]
        [Conv2D(Filters = 8, KernelHeight = 3, KernelWidth = 1, Dilation = 2, PaddingHeight = 2)]
        [GroupNorm(Groups = 4)]
        [LeakyReLU(Slope = 0.1)]
        [MaxPool2D(Size = 2)]
        [Conv2D(Filters = 12, Size = 1)]
        [InstanceNorm(Affine = true)]
        [PReLU]
        [Maxout(Pieces = 2)]
        [AvgPool2D(Size = 2, Stride = 2, Padding = 1, CountIncludePadding = false)]
        [ELU]
        [LayerNorm]
        [Swish]
        [GlobalAvgPool2D]
        [Dense(16, Initializer = Initializer.GlorotUniform)]
        [SELU]
        [Dense(12)]
        [Tanh]
        [Dense(8)]
        [Sigmoid]
        [Dense(6)]
        [GELU(Approximation = GeluApproximation.Tanh)]
        [Dense(4)]
        [MulticlassHinge]
        public sealed partial class EveryLayer
        {
        }
        """;

    [Fact]
    public void EveryLayerKindMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(EveryLayerDeclaration);

        Assert.Empty(run.Result.Diagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        Snapshot.Match(Assert.Single(run.GeneratedSources).SourceText.ToString(), "EveryLayer");
    }

    [Fact]
    public void LeNetMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(LeNetDeclaration);

        var source = Assert.Single(run.GeneratedSources);
        Assert.StartsWith("Samples.LeNet5.", source.HintName, StringComparison.Ordinal);
        Assert.EndsWith(".g.cs", source.HintName, StringComparison.Ordinal);
        Snapshot.Match(source.SourceText.ToString(), "LeNet5");
    }

    [Fact]
    public void LeNetCompilesWithoutWarnings()
    {
        var run = GeneratorHarness.Run(LeNetDeclaration);

        Assert.Empty(run.Result.Diagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }

    [Fact]
    public void EveryLayerKindCompilesWithoutWarnings()
    {
        var run = GeneratorHarness.Run("""
            using ModelCompiler;

            [Model(Channels = 3, Height = 11, Width = 9)]
            [ReLU]
            [Conv2D(Filters = 4, Size = 1)]
            [Conv2D(Filters = 5, Size = 3, Stride = 2, Padding = 1)]
            [ReLU]
            [MaxPool2D(Size = 3, Stride = 1)]
            [Dense(6)]
            [ReLU]
            [Dense(2)]
            [SoftmaxCrossEntropy]
            public partial class Everything { }

            namespace Outer
            {
                public partial class Container
                {
                    [Model(Channels = 1, Height = 1, Width = 4)]
                    [SoftmaxCrossEntropy]
                    internal partial class LossOnly { }
                }
            }
            """);

        Assert.Empty(run.Result.Diagnostics);
        Assert.Equal(2, run.GeneratedSources.Length);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }

    [Fact]
    public void GeneratedFileOpensWithLayerTable()
    {
        var run = GeneratorHarness.Run(LeNetDeclaration);

        string text = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("//  1  Conv1: Conv2D 8 filters 5x5, stride 1, padding 2   8x28x28            208", text);
        Assert.Contains("//     total                                                              62,558", text);
    }

    [Fact]
    public void NamesDifferingOnlyInCaseAndKeywordNamesCompile()
    {
        var run = GeneratorHarness.Run("""
            using ModelCompiler;

            namespace Models { [Model(Channels = 1, Height = 1, Width = 4)] [Dense(2)] [SoftmaxCrossEntropy] public partial class Net { } }
            namespace models { [Model(Channels = 1, Height = 1, Width = 4)] [Dense(2)] [SoftmaxCrossEntropy] public partial class Net { } }
            namespace @event { [Model(Channels = 1, Height = 1, Width = 4)] [Dense(2)] [SoftmaxCrossEntropy] public partial class @class { } }
            """);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.Result.Diagnostics);
        Assert.Equal(3, run.GeneratedSources.Length);
        Assert.Equal(3, run.GeneratedSources.Select(s => s.HintName.ToUpperInvariant()).Distinct().Count());
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }

    [Fact]
    public void TypeNamedVarDoesNotBreakGeneratedCode()
    {
        var run = GeneratorHarness.Run("""
            using ModelCompiler;

            namespace Models
            {
                public class var { }

                [Model(Channels = 1, Height = 6, Width = 6)]
                [Conv2D(Filters = 2, Size = 3)]
                [Dense(2)]
                [SoftmaxCrossEntropy]
                public partial class Net { }
            }
            """);

        Assert.Single(run.GeneratedSources);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }
}

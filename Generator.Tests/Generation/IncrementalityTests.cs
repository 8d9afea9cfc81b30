using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using ModelCompiler.Generator;
using ModelCompiler.Tests.Infrastructure;
using Xunit;

namespace ModelCompiler.Tests.Generation;

/// <summary>
/// Reruns the generator on an edited compilation and checks the tracked reason of every pipeline step
/// (<see cref="ModelGenerator.Steps"/>) and source output. Equal output text would not prove caching, because a
/// regenerated file can have the same text, so these tests read the step reasons only.
/// </summary>
/// <remarks>
/// Roslyn marks a step <see cref="IncrementalStepRunReason.Cached"/> when its input did not change and it did not
/// run, <see cref="IncrementalStepRunReason.Unchanged"/> when it ran and returned a value equal to the last one,
/// and <see cref="IncrementalStepRunReason.Modified"/> or <see cref="IncrementalStepRunReason.New"/> when downstream
/// steps must run again.
/// </remarks>
public sealed class IncrementalityTests
{
    private const string ValidModel = """
        using ModelCompiler;

        namespace Samples;

        [Model(Channels = 1, Height = 8, Width = 8)]
        [Conv2D(Filters = 2, Size = 3)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Dense(10)]
        [SoftmaxCrossEntropy]
        public partial class Net
        {
            public int Answer() { return 1; }
        }
        """;

    /// <summary>A valid model and, in the same file, one without a loss (MC0008), so both outputs carry data.</summary>
    private const string ValidAndInvalidModels = """
        using ModelCompiler;

        namespace Samples;

        [Model(Channels = 1, Height = 8, Width = 8)]
        [Dense(10)]
        [SoftmaxCrossEntropy]
        public partial class Net { }

        [Model(Channels = 1, Height = 8, Width = 8)]
        [Dense(10)]
        public partial class NoLoss { }
        """;

    private static readonly IncrementalStepRunReason[] Reused =
    {
        IncrementalStepRunReason.Cached,
        IncrementalStepRunReason.Unchanged,
    };

    [Theory]
    [InlineData("// A comment in a new file.\n")]
    [InlineData("namespace Other;\n\npublic sealed class Unrelated\n{\n    public int Value => 42;\n}\n")]
    public void NewUnrelatedFileReusesEveryStep(string otherFile)
    {
        var first = GeneratorHarness.Run(ValidAndInvalidModels);
        var edited = first.Input.AddSyntaxTrees(Parse(otherFile, "Other.cs"));

        var result = Rerun(first, edited);

        AssertAllStepsReused(result);
        Assert.Single(result.GeneratedSources);
        Assert.Equal("MC0008", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void UnrelatedFileEditReusesEveryStep()
    {
        var first = GeneratorHarness.Run(ValidAndInvalidModels, "public sealed class Unrelated { public int Value => 1; }\n");
        var otherTree = first.Input.SyntaxTrees.Single(tree => tree.FilePath != GeneratorHarness.TestFilePath);
        var edited = first.Input.ReplaceSyntaxTree(otherTree, Edit(otherTree, "=> 1;", "=> 2; // edited"));

        var result = Rerun(first, edited);

        AssertAllStepsReused(result);
    }

    [Fact]
    public void MethodBodyEditInModelKeepsModel()
    {
        var first = GeneratorHarness.Run(ValidModel);
        var tree = first.Input.SyntaxTrees.Single();
        var edited = first.Input.ReplaceSyntaxTree(tree, Edit(tree, "return 1;", "return 2;"));

        var result = Rerun(first, edited);

        // The parse transform runs again on the edited file and returns an equal result, so every named step is reused.
        AssertReused(result, ModelGenerator.Steps.Parse);
        AssertReused(result, ModelGenerator.Steps.Model);
        AssertReused(result, ModelGenerator.Steps.Diagnostics);
        AssertNoSourceOutputRan(result);
    }

    [Fact]
    public void BlankLinesAboveModelsMoveOnlyDiagnostic()
    {
        var first = GeneratorHarness.Run(ValidAndInvalidModels);
        var tree = first.Input.SyntaxTrees.Single();
        int lineBefore = Assert.Single(first.Result.Diagnostics).Location.GetLineSpan().StartLinePosition.Line;
        var edited = first.Input.ReplaceSyntaxTree(tree, Edit(tree, "namespace Samples;", "namespace Samples;\n\n\n"));

        var result = Rerun(first, edited);

        // ModelSpec stores no location, so the moved valid model compares equal and its source is not emitted again.
        AssertReused(result, ModelGenerator.Steps.Model);
        Assert.DoesNotContain(SourceOutputReasons(result, ModelGenerator.Steps.Model), reason => !Reused.Contains(reason));

        // The invalid model's diagnostic carries its location, so that output is modified and reported three lines lower.
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, ModelGenerator.Steps.Diagnostics));
        var moved = Assert.Single(result.Diagnostics);
        Assert.Equal("MC0008", moved.Id);
        Assert.Equal(lineBefore + 3, moved.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void LayerEditRegeneratesOnlyThatModel()
    {
        var first = GeneratorHarness.Run(
            "using ModelCompiler;\n\n[Model(Channels = 1, Height = 4, Width = 4)]\n[Dense(10)]\n[SoftmaxCrossEntropy]\npublic partial class First { }\n",
            "using ModelCompiler;\n\n[Model(Channels = 1, Height = 4, Width = 4)]\n[Dense(10)]\n[SoftmaxCrossEntropy]\npublic partial class Second { }\n");
        var firstTree = first.Input.SyntaxTrees.Single(tree => tree.FilePath == GeneratorHarness.TestFilePath);
        var edited = first.Input.ReplaceSyntaxTree(firstTree, Edit(firstTree, "[Dense(10)]", "[Dense(12)]"));

        var result = Rerun(first, edited);

        var modelReasons = ReasonsByClass(result, ModelGenerator.Steps.Model);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(modelReasons["First"]));
        Assert.Contains(Assert.Single(modelReasons["Second"]), Reused);
        var sourceReasons = SourceOutputReasons(result, ModelGenerator.Steps.Model);
        Assert.Equal(1, sourceReasons.Count(reason => reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, sourceReasons.Count(reason => Reused.Contains(reason)));
        Assert.Equal(2, result.GeneratedSources.Length);
    }

    [Fact]
    public void FixedDeclarationGeneratesSource()
    {
        var first = GeneratorHarness.Run(ValidModel.Replace("[MaxPool2D(Size = 2)]", "[MaxPool2D(Size = 4)]"));
        Assert.Equal("MC0005", Assert.Single(first.Result.Diagnostics).Id);
        Assert.Empty(first.GeneratedSources);
        var tree = first.Input.SyntaxTrees.Single();
        var edited = first.Input.ReplaceSyntaxTree(tree, Edit(tree, "[MaxPool2D(Size = 4)]", "[MaxPool2D(Size = 2)]"));

        var result = Rerun(first, edited);

        Assert.Equal(IncrementalStepRunReason.New, Assert.Single(Reasons(result, ModelGenerator.Steps.Model)));
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Reasons(result, ModelGenerator.Steps.Diagnostics)));
        Assert.Equal(IncrementalStepRunReason.New, Assert.Single(SourceOutputReasons(result, ModelGenerator.Steps.Model)));
        Assert.Empty(result.Diagnostics);
        Assert.StartsWith("Samples.Net.", Assert.Single(result.GeneratedSources).HintName, StringComparison.Ordinal);
    }

    [Fact]
    public void BreakingDeclarationRemovesSource()
    {
        var first = GeneratorHarness.Run(ValidModel);
        Assert.Single(first.GeneratedSources);
        var tree = first.Input.SyntaxTrees.Single();
        var edited = first.Input.ReplaceSyntaxTree(tree, Edit(tree, "[MaxPool2D(Size = 2)]", "[MaxPool2D(Size = 4)]"));

        var result = Rerun(first, edited);

        Assert.Equal(IncrementalStepRunReason.Removed, Assert.Single(Reasons(result, ModelGenerator.Steps.Model)));
        Assert.Equal("MC0005", Assert.Single(result.Diagnostics).Id);
        Assert.Empty(result.GeneratedSources);
    }

    private static GeneratorRunResult Rerun(GeneratorRun first, Compilation edited) =>
        first.Driver.RunGenerators(edited).GetRunResult().Results.Single();

    private static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path);

    /// <summary>Applies a text change to <paramref name="tree"/> the way an editor does, so Roslyn reparses incrementally.</summary>
    private static SyntaxTree Edit(SyntaxTree tree, string oldText, string newText)
    {
        var text = tree.GetText();
        int start = text.ToString().IndexOf(oldText, StringComparison.Ordinal);
        Assert.True(start >= 0, $"The source does not contain '{oldText}'.");
        return tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(start, oldText.Length), newText)));
    }

    /// <summary>Output reasons of every run of the named step, or an empty list when the step had no input.</summary>
    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string stepName) =>
        result.TrackedSteps.TryGetValue(stepName, out var steps)
            ? steps.SelectMany(step => step.Outputs).Select(output => output.Reason).ToList()
            : new List<IncrementalStepRunReason>();

    /// <summary>Output reasons of the named step, keyed by the ClassName of the model each output holds.</summary>
    private static Dictionary<string, List<IncrementalStepRunReason>> ReasonsByClass(GeneratorRunResult result, string stepName) =>
        result.TrackedSteps[stepName]
            .SelectMany(step => step.Outputs)
            .GroupBy(output => ClassNameOf(output.Value))
            .ToDictionary(group => group.Key, group => group.Select(output => output.Reason).ToList());

    /// <summary>Reads ClassName from a ModelSpec, which is internal to the generator.</summary>
    private static string ClassNameOf(object model) =>
        (string)(model.GetType().GetProperty("ClassName")?.GetValue(model)
            ?? throw new InvalidOperationException($"{model.GetType().Name} has no ClassName property."));

    /// <summary>Output reasons of the source outputs whose input is the named pipeline step.</summary>
    private static List<IncrementalStepRunReason> SourceOutputReasons(GeneratorRunResult result, string inputStepName) =>
        result.TrackedOutputSteps.Values
            .SelectMany(steps => steps)
            .Where(step => step.Inputs.Any(input => input.Source.Name == inputStepName))
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToList();

    private static void AssertReused(GeneratorRunResult result, string stepName)
    {
        var reasons = Reasons(result, stepName);
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.Contains(reason, Reused));
    }

    private static void AssertAllStepsReused(GeneratorRunResult result)
    {
        Assert.Null(result.Exception);
        AssertReused(result, ModelGenerator.Steps.Parse);
        AssertReused(result, ModelGenerator.Steps.Model);
        AssertReused(result, ModelGenerator.Steps.Diagnostics);
        var outputReasons = result.TrackedOutputSteps.Values.SelectMany(steps => steps).SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(outputReasons);
        Assert.All(outputReasons, output => Assert.Contains(output.Reason, Reused));
    }

    private static void AssertNoSourceOutputRan(GeneratorRunResult result)
    {
        var reasons = SourceOutputReasons(result, ModelGenerator.Steps.Model);
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.Contains(reason, Reused));
    }
}

using CsCheck;
using Microsoft.CodeAnalysis;
using ModelCompiler.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ModelCompiler.Tests.Generation;

/// <summary>
/// Runs the generator on random declarations (<see cref="RandomDeclarations"/>) and compares its verdict with an
/// independent statement of the shape rules (<see cref="RandomDeclarationOracle"/>).
/// </summary>
/// <remarks>
/// Each run draws new cases. A failure message starts with the seed CsCheck found the case from, such as
/// <c>Set seed: "0N0XIzNsQ0O2"</c>; to replay it, run the test with the environment variable CsCheck_Seed set to
/// that value, or pass it as the seed argument of Sample. The test output lists how many cases of each outcome ran.
/// </remarks>
public sealed class RandomDeclarationTests
{
    /// <summary>Cases per run for well-formed declarations. About a third of the valid ones are also compiled.</summary>
    private const int WellFormedIterations = 250;

    private const int BrokenIterations = 100;

    private readonly ITestOutputHelper _output;

    public RandomDeclarationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void WellFormedDeclarationsMatchOracle()
    {
        RandomDeclarations.WellFormed.Sample(
            CheckWellFormed,
            _output.WriteLine,
            iter: WellFormedIterations,
            print: declaration => declaration.Source);
    }

    [Fact]
    public void BrokenAttributeTextNeverCrashesGenerator()
    {
        RandomDeclarations.WithBrokenAttribute.Sample(
            CheckBroken,
            _output.WriteLine,
            iter: BrokenIterations,
            print: declaration => declaration.Source);
    }

    /// <summary>Checks one well-formed declaration and returns its outcome for the summary table.</summary>
    private static string CheckWellFormed(RandomDeclaration declaration)
    {
        var run = GeneratorHarness.Run(declaration.Source);
        AssertGeneratorDidNotFail(run);
        var modelErrors = ModelCompilerDiagnostics(run);
        string? violation = RandomDeclarationOracle.FindViolation(declaration);
        string report = Report(run, violation);

        if (RandomDeclarationOracle.HasCompilerError(declaration) && HasCompilerError(run.Input))
        {
            return "compiler error";
        }

        Assert.False(HasCompilerError(run.Input), "The declaration's own text has compiler errors. " + report);
        if (violation is not null)
        {
            Assert.True(modelErrors.Any(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error), "The oracle finds the declaration invalid, but the generator reports no MC error. " + report);
            Assert.True(run.GeneratedSources.IsEmpty, "The generator emitted source for an invalid declaration. " + report);
            return "invalid, " + modelErrors[0].Id;
        }

        Assert.True(modelErrors.Count == 0, "The oracle finds the declaration valid, but the generator reports MC diagnostics. " + report);
        var generated = Assert.Single(run.GeneratedSources);
        Assert.StartsWith("RandomModels." + RandomDeclaration.ClassName + ".", generated.HintName, StringComparison.Ordinal);
        if (!declaration.CompileOutput)
        {
            return "valid";
        }

        var problems = run.CompilationProblems;
        Assert.True(problems.IsEmpty, "The generated code does not compile cleanly:\n" + string.Join("\n", problems.Take(10)) + "\n" + report);
        return "valid, compiled";
    }

    /// <summary>Checks one declaration with an attribute that does not parse or bind.</summary>
    private static string CheckBroken(RandomDeclaration declaration)
    {
        var run = GeneratorHarness.Run(declaration.Source);
        AssertGeneratorDidNotFail(run);

        var compilerErrors = run.Input.GetDiagnostics().Where(IsError).ToList();
        Assert.True(compilerErrors.Count > 0, "The broken attribute text compiled without errors, so the case tests nothing.");

        // Code generated from the rest of the declaration must not add errors of its own.
        var generatedTrees = run.GeneratedSources.Select(source => source.SyntaxTree).ToHashSet();
        var generatedErrors = run.Output.GetDiagnostics().Where(diagnostic => IsError(diagnostic) && generatedTrees.Contains(diagnostic.Location.SourceTree!)).ToList();
        Assert.True(generatedErrors.Count == 0, "The generated code has errors:\n" + string.Join("\n", generatedErrors.Take(10)));
        return compilerErrors[0].Id + (run.GeneratedSources.IsEmpty ? "" : ", source generated");
    }

    private static void AssertGeneratorDidNotFail(GeneratorRun run)
    {
        Assert.True(run.Result.Exception is null, "The generator threw: " + run.Result.Exception);
        var internalError = run.Result.Diagnostics.FirstOrDefault(diagnostic => diagnostic.Id == "MC0099");
        Assert.True(internalError is null, "The generator reported an internal error: " + internalError);
        var driverFailure = run.GeneratorDiagnostics.FirstOrDefault(diagnostic => diagnostic.Id == "CS8785");
        Assert.True(driverFailure is null, "The compiler reported that the generator failed: " + driverFailure);
    }

    /// <summary>The generator's MC diagnostics, each checked to point into the declaration's file.</summary>
    private static List<Diagnostic> ModelCompilerDiagnostics(GeneratorRun run)
    {
        var diagnostics = run.Result.Diagnostics.Where(diagnostic => diagnostic.Id.StartsWith("MC", StringComparison.Ordinal)).ToList();
        foreach (var diagnostic in diagnostics)
        {
            // The generator rebuilds locations from plain data as file locations, so they have a path but no syntax tree.
            Assert.True(diagnostic.Location.Kind != LocationKind.None, $"{diagnostic.Id} has no location: {diagnostic}");
            Assert.Equal(GeneratorHarness.TestFilePath, diagnostic.Location.GetLineSpan().Path);
        }

        return diagnostics;
    }

    private static bool HasCompilerError(Compilation compilation) => compilation.GetDiagnostics().Any(IsError);

    private static bool IsError(Diagnostic diagnostic) => diagnostic.Severity == DiagnosticSeverity.Error;

    private static string Report(GeneratorRun run, string? violation) =>
        "Oracle: " + (violation ?? "valid") + ". Generator diagnostics: "
        + (run.Result.Diagnostics.IsEmpty ? "none" : string.Join("; ", run.Result.Diagnostics.Select(diagnostic => diagnostic.GetMessage())))
        + ". Generated files: " + run.GeneratedSources.Length + ".";
}

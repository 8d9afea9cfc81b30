using Microsoft.CodeAnalysis;
using Xunit;

namespace ModelCompiler.Tests.Infrastructure;

/// <summary>Asserts that the generator reports exactly one diagnostic, with a given id, on a marked span.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// Runs the generator on <paramref name="markedSource"/>, whose expected span is marked with [| and |], asserts
    /// that it reports exactly one diagnostic, with <paramref name="id"/>, error severity and that span, and returns it.
    /// </summary>
    public static Diagnostic Single(string markedSource, string id)
    {
        int start = markedSource.IndexOf("[|", StringComparison.Ordinal);
        int end = markedSource.IndexOf("|]", StringComparison.Ordinal) - 2;
        Assert.True(start >= 0, "The test source must mark the start of the expected span with [|.");
        Assert.True(end >= start, "The test source must mark the end of the expected span with |] after [|.");
        string source = markedSource.Replace("[|", string.Empty).Replace("|]", string.Empty);

        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        var diagnostic = Assert.Single(run.Result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(GeneratorHarness.TestFilePath, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(source.Substring(start, end - start), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(start, diagnostic.Location.SourceSpan.Start);
        return diagnostic;
    }
}

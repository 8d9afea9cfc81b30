using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using ModelCompiler.CodeFixes;
using Xunit;

namespace ModelCompiler.Tests.CodeFixes;

/// <summary>
/// MC0001 fixes: the generator's diagnostic on a model class without <c>partial</c>, the one action offered for it,
/// the exact text it produces, and a second generator run on that text.
/// </summary>
public sealed class AddPartialModifierCodeFixTests
{
    private const string Layers = """
        using ModelCompiler;

        [Model(Channels = 1, Height = 4, Width = 4)]
        [Dense(3)]
        [SoftmaxCrossEntropy]

        """;

    [Theory]
    [InlineData("public class Net { }", "public partial class Net { }")]
    [InlineData("public sealed class Net { }", "public sealed partial class Net { }")]
    [InlineData("internal sealed class Net { }", "internal sealed partial class Net { }")]
    [InlineData("class Net { }", "partial class Net { }")]
    [InlineData("public abstract class Net { }", "public abstract partial class Net { }")]
    public async Task AddsPartialAfterOtherModifiers(string declaration, string expected)
    {
        using var harness = new CodeFixHarness(Layers + declaration + "\n");
        var diagnostic = await harness.SingleDiagnosticAsync("MC0001");

        var actions = await CodeFixHarness.GetActionsAsync(new AddPartialModifierCodeFixProvider(), harness.Document, diagnostic);

        var action = Assert.Single(actions);
        Assert.Equal("Add 'partial' modifier", action.Title);
        var fixedDocument = await harness.ApplyAsync(action);
        Assert.Equal(Layers + expected + "\n", (await fixedDocument.GetTextAsync()).ToString());
        Assert.Empty(await CodeFixHarness.RunGeneratorAsync(fixedDocument));
    }

    [Fact]
    public async Task KeepsIndentationOfNestedClass()
    {
        const string Source = """
            using ModelCompiler;

            public static partial class Models
            {
                /// <summary>A small test network.</summary>
                [Model(Channels = 1, Height = 4, Width = 4)]
                [Dense(3)]
                [SoftmaxCrossEntropy]
                {0}class Net { }
            }

            """;
        using var harness = new CodeFixHarness(Source.Replace("{0}", string.Empty));
        var diagnostic = await harness.SingleDiagnosticAsync("MC0001");

        var action = Assert.Single(await CodeFixHarness.GetActionsAsync(new AddPartialModifierCodeFixProvider(), harness.Document, diagnostic));
        var fixedDocument = await harness.ApplyAsync(action);

        Assert.Equal(Source.Replace("{0}", "partial "), (await fixedDocument.GetTextAsync()).ToString());
        Assert.Empty(await CodeFixHarness.RunGeneratorAsync(fixedDocument));
    }

    [Fact]
    public async Task FixAllAddsPartialToEveryModel()
    {
        const string Source = """
            using ModelCompiler;

            [Model(Channels = 1, Height = 4, Width = 4)]
            [Dense(3)]
            [SoftmaxCrossEntropy]
            public class First { }

            [Model(Channels = 1, Height = 2, Width = 2)]
            [Dense(2)]
            [SoftmaxCrossEntropy]
            internal sealed class Second { }

            """;
        using var harness = new CodeFixHarness(Source);
        var generated = await CodeFixHarness.RunGeneratorAsync(harness.Document);
        Assert.Equal(new[] { "MC0001", "MC0001" }, generated.Select(d => d.Id));

        // Fix All finds each diagnostic's document through the syntax tree of its location, so it gets them in the IDE's form.
        var diagnostics = new List<Diagnostic>();
        foreach (var diagnostic in generated)
        {
            diagnostics.Add(await CodeFixHarness.InDocumentAsync(diagnostic, harness.Document));
        }

        var provider = new AddPartialModifierCodeFixProvider();
        var fixAll = provider.GetFixAllProvider();
        Assert.NotNull(fixAll);
        var context = new FixAllContext(
            harness.Document,
            provider,
            FixAllScope.Document,
            "MC0001",
            new[] { "MC0001" },
            new FixedDiagnosticProvider(diagnostics),
            CancellationToken.None);
        var action = await fixAll.GetFixAsync(context);
        Assert.NotNull(action);
        var fixedDocument = await harness.ApplyAsync(action);

        string expected = Source
            .Replace("public class First", "public partial class First")
            .Replace("internal sealed class Second", "internal sealed partial class Second");
        Assert.Equal(expected, (await fixedDocument.GetTextAsync()).ToString());
        Assert.Empty(await CodeFixHarness.RunGeneratorAsync(fixedDocument));
    }

    [Fact]
    public async Task OffersNothingWhenTextMovedSinceDiagnostic()
    {
        using var harness = new CodeFixHarness(Layers + "public sealed class Net { }\n");
        var diagnostic = await harness.SingleDiagnosticAsync("MC0001");

        // An edit above the class shifts it, so the diagnostic's span, from the earlier text, no longer covers its name.
        var edited = harness.Document.WithText(Microsoft.CodeAnalysis.Text.SourceText.From("// A comment line.\n" + Layers + "public sealed class Net { }\n"));
        var actions = await CodeFixHarness.GetActionsAsync(new AddPartialModifierCodeFixProvider(), edited, diagnostic);

        Assert.Empty(actions);
    }

    /// <summary>Hands Fix All a fixed list of diagnostics, as the IDE's diagnostic service would for one document.</summary>
    private sealed class FixedDiagnosticProvider(IReadOnlyList<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult(diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}

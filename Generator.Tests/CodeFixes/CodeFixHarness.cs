using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using ModelCompiler.Generator;
using ModelCompiler.Tests.Infrastructure;
using Xunit;

namespace ModelCompiler.Tests.CodeFixes;

/// <summary>
/// Drives a code fix provider with real components: one C# document in an <see cref="AdhocWorkspace"/> project, the
/// real generator's diagnostics for it, the actions the provider registers, and the document each action produces.
/// </summary>
internal sealed class CodeFixHarness : IDisposable
{
    public const string FilePath = "/ModelTests/Model.cs";

    private static readonly ImmutableArray<MetadataReference> References =
        Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(ModelAttribute).Assembly.Location))
            .ToImmutableArray();

    private readonly AdhocWorkspace _workspace = new();

    public CodeFixHarness(string source)
    {
        var project = _workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "ModelTests",
            "ModelTests",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: References));
        Document = _workspace.AddDocument(DocumentInfo.Create(
            DocumentId.CreateNewId(project.Id),
            Path.GetFileName(FilePath),
            loader: TextLoader.From(TextAndVersion.Create(Microsoft.CodeAnalysis.Text.SourceText.From(source), VersionStamp.Create())),
            filePath: FilePath));
    }

    public Document Document { get; }

    /// <summary>
    /// Runs the generator on the project that contains <paramref name="document"/> and returns its diagnostics, with
    /// the external-file locations the generator reports.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> RunGeneratorAsync(Document document)
    {
        var compilation = await document.Project.GetCompilationAsync();
        Assert.NotNull(compilation);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new ModelGenerator().AsSourceGenerator() },
            parseOptions: (CSharpParseOptions?)document.Project.ParseOptions);
        var result = driver.RunGenerators(compilation).GetRunResult();
        Assert.Null(result.Results.Single().Exception);
        return result.Diagnostics;
    }

    /// <summary>
    /// Runs the generator, asserts that it reports exactly one diagnostic and that it has <paramref name="id"/> and a
    /// location in the document, and returns it.
    /// </summary>
    public async Task<Diagnostic> SingleDiagnosticAsync(string id)
    {
        var diagnostic = Assert.Single(await RunGeneratorAsync(Document));
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(FilePath, diagnostic.Location.GetLineSpan().Path);
        var text = await Document.GetTextAsync();
        Assert.True(diagnostic.Location.SourceSpan.End <= text.Length, $"The span {diagnostic.Location.SourceSpan} is outside the document.");
        return diagnostic;
    }

    /// <summary>
    /// Returns <paramref name="diagnostic"/> re-created with a location in the syntax tree of <paramref name="document"/>
    /// and its message already formatted, which is the form in which an IDE passes a generator's diagnostic to a code fix.
    /// </summary>
    public static async Task<Diagnostic> InDocumentAsync(Diagnostic diagnostic, Document document)
    {
        var tree = await document.GetSyntaxTreeAsync();
        Assert.NotNull(tree);
        var descriptor = diagnostic.Descriptor;
        return Diagnostic.Create(
            diagnostic.Id,
            descriptor.Category,
            diagnostic.GetMessage(),
            diagnostic.Severity,
            descriptor.DefaultSeverity,
            descriptor.IsEnabledByDefault,
            diagnostic.WarningLevel,
            descriptor.Title,
            descriptor.Description,
            descriptor.HelpLinkUri,
            Location.Create(tree, diagnostic.Location.SourceSpan),
            additionalLocations: null,
            customTags: descriptor.CustomTags,
            properties: diagnostic.Properties);
    }

    /// <summary>Returns the actions that <paramref name="provider"/> registers for <paramref name="diagnostic"/> in <paramref name="document"/>.</summary>
    public static async Task<IReadOnlyList<CodeAction>> GetActionsAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }

    /// <summary>Returns the document that the <see cref="ApplyChangesOperation"/> of <paramref name="action"/> produces.</summary>
    public async Task<Document> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var change = Assert.Single(operations.OfType<ApplyChangesOperation>());
        var changed = change.ChangedSolution.GetDocument(Document.Id);
        Assert.NotNull(changed);
        return changed;
    }

    public void Dispose() => _workspace.Dispose();
}

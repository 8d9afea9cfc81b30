using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ModelCompiler.CodeFixes
{
    /// <summary>
    /// Fixes MC0001 ("Model class must be partial") by adding <c>partial</c> to the model class, after its other
    /// modifiers, as in <c>public sealed partial class</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialModifierCodeFixProvider)), Shared]
    public sealed class AddPartialModifierCodeFixProvider : CodeFixProvider
    {
        /// <summary>The generator's id for a model class declared without <c>partial</c>.</summary>
        public const string DiagnosticId = "MC0001";

        private const string Title = "Add 'partial' modifier";

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var span = diagnostic.Location.SourceSpan;
                if (diagnostic.Id != DiagnosticId || FindDeclaration(root, span) is null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(Title, cancellationToken => AddPartialAsync(context.Document, span, cancellationToken), equivalenceKey: DiagnosticId),
                    diagnostic);
            }
        }

        /// <summary>
        /// Returns the class whose name the diagnostic underlines, or null when the diagnostic no longer matches the
        /// document, for example because it came from a build of an older text.
        /// </summary>
        private static ClassDeclarationSyntax? FindDeclaration(SyntaxNode root, TextSpan span)
        {
            if (!root.FullSpan.Contains(span))
            {
                return null;
            }

            var token = root.FindToken(span.Start);
            if (token.Span != span || token.Parent is not ClassDeclarationSyntax declaration || declaration.Identifier != token)
            {
                return null;
            }

            return declaration.Modifiers.Any(SyntaxKind.PartialKeyword) ? null : declaration;
        }

        private static async Task<Document> AddPartialAsync(Document document, TextSpan span, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var declaration = root is null ? null : FindDeclaration(root, span);
            if (root is null || declaration is null)
            {
                return document;
            }

            return document.WithSyntaxRoot(root.ReplaceNode(declaration, WithPartial(declaration)));
        }

        /// <summary>
        /// Appends <c>partial</c> to the modifiers. C# requires it to come immediately before <c>class</c>, so last is
        /// both the only valid and the conventional place.
        /// </summary>
        private static ClassDeclarationSyntax WithPartial(ClassDeclarationSyntax declaration)
        {
            var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (declaration.Modifiers.Count > 0)
            {
                return declaration.WithModifiers(declaration.Modifiers.Add(partial));
            }

            // Without other modifiers the 'class' keyword carries the line's indentation, which moves to 'partial'.
            var keyword = declaration.Keyword;
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }
    }
}

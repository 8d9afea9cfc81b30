using System;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ModelCompiler.CodeFixes
{
    /// <summary>
    /// Fixes MC0005 ("Output size is not a whole number") with one action per setting that the generator suggests in
    /// the diagnostic's "Fixes" property, such as "Set Stride = 1 (output 24)". Each action sets that named argument of
    /// the layer attribute at fault, replacing its value when it is written and adding it otherwise.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetWindowArgumentCodeFixProvider)), Shared]
    public sealed class SetWindowArgumentCodeFixProvider : CodeFixProvider
    {
        /// <summary>The generator's id for a convolution or pooling output size that is not a whole number.</summary>
        public const string DiagnosticId = "MC0005";

        // NOTE: repeats the generator's rule that pooling strides default to the window size. A new pooling
        // attribute with that default needs adding to this set.
        private static readonly ImmutableHashSet<string> s_poolingAttributes = ImmutableHashSet.Create(
            StringComparer.Ordinal,
            "ModelCompiler.MaxPool2DAttribute",
            "ModelCompiler.AvgPool2DAttribute");

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

        /// <summary>Returns null, because each diagnostic has its own suggestions and no one choice fits all of them.</summary>
        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (diagnostic.Id != DiagnosticId)
                {
                    continue;
                }

                var attribute = FindAttribute(root, diagnostic.Location.SourceSpan);
                if (attribute is null)
                {
                    continue;
                }

                bool pooling = semanticModel.GetTypeInfo(attribute, context.CancellationToken).Type is { } type
                    && s_poolingAttributes.Contains(type.ToDisplayString());
                foreach (var setting in SuggestedSetting.ReadAll(diagnostic))
                {
                    var edit = WindowArgumentEditor.Apply(attribute, setting, strideFollowsKernel: pooling);
                    if (edit is null)
                    {
                        continue;
                    }

                    string? output = setting.Output;
                    string title = "Set " + edit.Value.Description + (output is null ? string.Empty : " (output " + output + ")");
                    var span = attribute.Span;
                    var fixedAttribute = edit.Value.Attribute;
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            title,
                            cancellationToken => ReplaceAttributeAsync(context.Document, span, fixedAttribute, cancellationToken),
                            equivalenceKey: DiagnosticId + ":" + setting.Name + "=" + setting.ValueText),
                        diagnostic);
                }
            }
        }

        /// <summary>
        /// Returns the attribute that contains the argument or the attribute name underlined by the diagnostic, or null
        /// when the diagnostic no longer matches the document, for example because it came from a build of an older text.
        /// </summary>
        private static AttributeSyntax? FindAttribute(SyntaxNode root, TextSpan span)
        {
            if (!root.FullSpan.Contains(span))
            {
                return null;
            }

            var node = root.FindNode(span);
            if (node is AttributeArgumentSyntax argument && argument.Span == span && argument.NameEquals is not null)
            {
                return argument.Parent?.Parent as AttributeSyntax;
            }

            var attribute = node.FirstAncestorOrSelf<AttributeSyntax>();
            return attribute is not null && attribute.Name.Span == span ? attribute : null;
        }

        private static async Task<Document> ReplaceAttributeAsync(Document document, TextSpan span, AttributeSyntax fixedAttribute, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var attribute = root?.FindNode(span).FirstAncestorOrSelf<AttributeSyntax>();
            if (root is null || attribute is null || attribute.Span != span)
            {
                return document;
            }

            return document.WithSyntaxRoot(root.ReplaceNode(attribute, fixedAttribute));
        }
    }
}

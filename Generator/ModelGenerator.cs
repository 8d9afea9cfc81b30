using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ModelCompiler.Generator.Emit;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Parsing;

namespace ModelCompiler.Generator
{
    /// <summary>
    /// Finds classes marked <c>[Model]</c>, validates their layer attributes, and adds a partial declaration
    /// with shapes, parameters, forward and backward code for each valid one.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModelGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
        public static class Steps
        {
            public const string Parse = "Parse";
            public const string Model = "Model";
            public const string Diagnostics = "Diagnostics";
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            // Parse each class that carries [Model] into plain data; runs when that class's syntax or semantics change.
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeNames.Model,
                    static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    static (context, cancellationToken) => ParseSafely(context, cancellationToken))
                .Where(static result => result is not null)
                .Select(static (result, _) => result!)
                .WithTrackingName(Steps.Parse);

            // Diagnostics leave on their own output, so a moved declaration re-reports without regenerating code.
            // NOTE: they are reported at file-path locations rebuilt from plain data, because the model keeps no syntax tree.
            // IDEs map such locations to the document by path. An editorconfig [*.cs] severity does not apply to them, but a globalconfig does.
            var diagnostics = parsed
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(Steps.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (output, items) =>
            {
                foreach (var item in items)
                {
                    output.ReportDiagnostic(item.ToDiagnostic());
                }
            });

            // Emit source for valid models; the model record has no locations, so it stays equal across unrelated edits.
            var models = parsed
                .Where(static result => result.Model is not null)
                .Select(static (result, _) => result.Model!)
                .WithTrackingName(Steps.Model);
            context.RegisterSourceOutput(models, static (output, model) =>
            {
                output.AddSource(ModelEmitter.HintName(model), SourceText.From(ModelEmitter.Emit(model), System.Text.Encoding.UTF8));
            });
        }

        private static ParseResult? ParseSafely(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
        {
            try
            {
                return ModelParser.Parse(context, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                // An exception escaping a generator makes the compiler drop all of its output with a vague warning.
                // Reporting it on the class instead shows the user what failed and where.
                var location = LocationInfo.From((context.TargetNode as TypeDeclarationSyntax)?.Identifier ?? default);
                var info = new DiagnosticInfo(
                    Diagnostics.DiagnosticDescriptors.InternalError.Id,
                    location,
                    new EquatableArray<string>(new[] { context.TargetSymbol.Name, exception.GetType().Name + ": " + exception.Message }));
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(new[] { info }));
            }
        }
    }
}

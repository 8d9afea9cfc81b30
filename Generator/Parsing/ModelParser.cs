using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelCompiler.Generator.Diagnostics;
using ModelCompiler.Generator.Model;
using ModelCompiler.Generator.Shapes;

namespace ModelCompiler.Generator.Parsing
{
    /// <summary>
    /// Turns one class carrying <c>[Model]</c> into plain data: the declared input and layers, validated by
    /// <see cref="ModelValidator"/>. Symbols and syntax are read here and nothing of them leaves.
    /// </summary>
    internal static class ModelParser
    {
        /// <summary>Names of the members the generator adds, which the model class itself cannot have.</summary>
        private static readonly HashSet<string> GeneratedMemberNames = new HashSet<string>
        {
            "Layers", "Description", "Parameters", "Gradients", "RunningStatistics", "Mode", "FoldBatchNorm", "InitializeParameters",
            "Forward", "ComputeGradients", "TrainStep", "LayerOutput", "InputChannels", "InputHeight", "InputWidth", "InputSize",
            "OutputSize", "ParameterCount", "RunningStatisticsCount", "RunForward", "RunBackward", "EnsureCapacity",
        };

        public static ParseResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetNode is not TypeDeclarationSyntax declaration || context.TargetSymbol is not INamedTypeSymbol type)
            {
                return null;
            }

            // [Model] twice is already compiler error CS0579; generate once, from the first declaration.
            if (context.Attributes.Length != 1 || !IsFirstModelDeclaration(type, declaration))
            {
                return null;
            }

            var diagnostics = new List<DiagnosticInfo>();
            CheckClassForm(declaration, type, diagnostics);

            var modelAttribute = context.Attributes[0];
            if (HasBindingErrors(modelAttribute))
            {
                return null;
            }

            var modelSyntax = modelAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            // The [Model] arguments are read like a layer's; the kind passed here is never used for them.
            var model = ReadArguments(LayerKind.Dense, modelAttribute, modelSyntax, 0);

            cancellationToken.ThrowIfCancellationRequested();
            var layers = ReadLayers(declaration, type, diagnostics, out bool bindingErrors, cancellationToken);
            if (bindingErrors)
            {
                // The compiler reports the malformed attribute; there is nothing sound to generate.
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var classLocation = LocationInfo.From(declaration.Identifier);
            var validLayers = ModelValidator.Validate(type.Name, classLocation, model, layers, diagnostics);

            ModelSpec? spec = null;
            if (validLayers is not null && !diagnostics.Any(d => DiagnosticDescriptors.IsError(d.DescriptorId)))
            {
                spec = new ModelSpec(
                    type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                    type.Name,
                    new EquatableArray<ContainingTypeSpec>(GetContainingTypes(type)),
                    model.Get("Channels", 1).IntValue,
                    model.Get("Height", 1).IntValue,
                    model.Get("Width", 1).IntValue,
                    new EquatableArray<LayerSpec>(validLayers));
            }

            return new ParseResult(spec, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        private static bool IsFirstModelDeclaration(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
        {
            var first = type.GetAttributes()
                .Where(a => a.AttributeClass?.ToDisplayString() == AttributeNames.Model && a.ApplicationSyntaxReference is not null)
                .Select(a => a.ApplicationSyntaxReference!)
                .OrderBy(r => r.SyntaxTree.FilePath, System.StringComparer.Ordinal)
                .ThenBy(r => r.Span.Start)
                .FirstOrDefault();
            return first is null || (first.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(first.Span));
        }

        private static void CheckClassForm(TypeDeclarationSyntax declaration, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
        {
            var location = LocationInfo.From(declaration.Identifier);
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(Error(DiagnosticDescriptors.ModelClassNotPartial, location, type.Name));
            }

            if (declaration is RecordDeclarationSyntax)
            {
                diagnostics.Add(Error(DiagnosticDescriptors.UnsupportedModelClass, location, type.Name, "records are not supported; declare the model as a class"));
            }

            if (GeneratedMemberNames.Contains(type.Name))
            {
                diagnostics.Add(Error(DiagnosticDescriptors.UnsupportedModelClass, location, type.Name, "'" + type.Name + "' is also the name of a generated member, and a member cannot have its class's name; rename the class"));
            }

            if (type.IsStatic)
            {
                diagnostics.Add(Error(DiagnosticDescriptors.UnsupportedModelClass, location, type.Name, "a static class has no instances to hold parameters; remove 'static'"));
            }

            if (type.IsGenericType)
            {
                diagnostics.Add(Error(DiagnosticDescriptors.UnsupportedModelClass, location, type.Name, "generic model classes are not supported; remove the type parameters"));
            }

            for (var container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                if (container.IsGenericType)
                {
                    diagnostics.Add(Error(
                        DiagnosticDescriptors.UnsupportedModelClass,
                        location,
                        type.Name,
                        "its containing type '" + container.Name + "' is generic; declare the model outside generic types"));
                }
            }

            for (var parent = declaration.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
            {
                if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(Error(
                        DiagnosticDescriptors.UnsupportedModelClass,
                        location,
                        type.Name,
                        "its containing type '" + parent.Identifier.ValueText + "' must be declared partial too"));
                }
            }
        }

        private static List<DeclaredLayer> ReadLayers(
            TypeDeclarationSyntax declaration,
            INamedTypeSymbol type,
            List<DiagnosticInfo> diagnostics,
            out bool bindingErrors,
            CancellationToken cancellationToken)
        {
            bindingErrors = false;
            var layers = new List<DeclaredLayer>();
            foreach (var attribute in type.GetAttributes())
            {
                if (!AttributeNames.TryGetLayerKind(attribute.AttributeClass?.ToDisplayString(), out var kind))
                {
                    continue;
                }

                var reference = attribute.ApplicationSyntaxReference;
                if (reference is null)
                {
                    continue;
                }

                var syntax = reference.GetSyntax(cancellationToken) as AttributeSyntax;
                if (reference.SyntaxTree != declaration.SyntaxTree || !declaration.AttributeLists.Span.Contains(reference.Span))
                {
                    diagnostics.Add(Error(DiagnosticDescriptors.LayerOnOtherDeclaration, LocationInfo.From(syntax), kind.ToString(), type.Name));
                    continue;
                }

                if (HasBindingErrors(attribute))
                {
                    bindingErrors = true;
                    continue;
                }

                layers.Add(ReadArguments(kind, attribute, syntax, reference.Span.Start));
            }

            // GetAttributes follows source order today, but that is not a documented guarantee, so sort by position.
            layers.Sort((a, b) => a.Number.CompareTo(b.Number));
            for (int i = 0; i < layers.Count; i++)
            {
                layers[i].Number = i + 1;
            }

            return layers;
        }

        /// <summary>
        /// Reads every named argument of an attribute, and for a dense layer its constructor argument as "Units".
        /// <paramref name="position"/> orders layers until ReadLayers renumbers them.
        /// </summary>
        private static DeclaredLayer ReadArguments(LayerKind kind, AttributeData attribute, AttributeSyntax? syntax, int position)
        {
            var layer = new DeclaredLayer(kind, position, LocationInfo.From(syntax?.Name) ?? LocationInfo.From(syntax));
            foreach (var pair in attribute.NamedArguments)
            {
                var argument = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == pair.Key);
                layer.Add(new DeclaredArgument(pair.Key, pair.Value.Value, isSet: true, LocationInfo.From(argument) ?? layer.Location));
            }

            if (attribute.ConstructorArguments.Length == 1)
            {
                var argument = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null);
                layer.Add(new DeclaredArgument("Units", attribute.ConstructorArguments[0].Value, isSet: true, LocationInfo.From(argument) ?? layer.Location));
            }

            return layer;
        }

        private static bool HasBindingErrors(AttributeData attribute)
        {
            if (attribute.AttributeConstructor is null)
            {
                return true;
            }

            return attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
                || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error);
        }

        private static IEnumerable<ContainingTypeSpec> GetContainingTypes(INamedTypeSymbol type)
        {
            var chain = new List<ContainingTypeSpec>();
            for (var parent = type.ContainingType; parent is not null; parent = parent.ContainingType)
            {
                string keyword = parent.IsRecord
                    ? (parent.TypeKind == TypeKind.Struct ? "record struct" : "record")
                    : parent.TypeKind switch
                    {
                        TypeKind.Struct => "struct",
                        TypeKind.Interface => "interface",
                        _ => "class",
                    };
                chain.Insert(0, new ContainingTypeSpec(keyword, parent.Name));
            }

            return chain;
        }

        private static DiagnosticInfo Error(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(arguments));
    }
}

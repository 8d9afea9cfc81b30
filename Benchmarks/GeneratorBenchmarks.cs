using System.Collections.Immutable;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelCompiler.Generator;

namespace ModelCompiler.Benchmarks;

/// <summary>
/// Time of the model generator in an in-memory compilation: a full run on one 20-layer model and on a project
/// of 20 models, and the incremental reruns an IDE makes after an edit.
/// </summary>
/// <remarks>
/// Source files are parsed once in setup. Every benchmark builds a new compilation from the parsed trees,
/// because a compilation caches the symbols and attributes it has bound, and an editor gets a new compilation
/// on every keystroke. The time therefore includes binding the layer attributes that the generator reads.
/// </remarks>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int ModelCount = 20;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions CompilationOptions =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    private static readonly ImmutableArray<MetadataReference> References =
        Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(ModelAttribute).Assembly.Location))
            .ToImmutableArray();

    private SyntaxTree[] _deepModel = null!;
    private SyntaxTree[] _project = null!;
    private SyntaxTree[] _projectWithUnrelatedEdit = null!;
    private SyntaxTree[] _projectWithLayerEdit = null!;
    private GeneratorDriver _projectDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _deepModel = new[] { Parse(DeepModelSource(), "DeepModel.cs") };

        var models = Enumerable.Range(1, ModelCount).Select(i => Parse(SmallModelSource(i, denseUnits: 64), $"Model{i}.cs")).ToList();
        _project = models.Append(Parse(UnrelatedSource(1), "Unrelated.cs")).ToArray();
        _projectWithUnrelatedEdit = models.Append(Parse(UnrelatedSource(2), "Unrelated.cs")).ToArray();
        _projectWithLayerEdit = (SyntaxTree[])_project.Clone();
        _projectWithLayerEdit[0] = Parse(SmallModelSource(1, denseUnits: 65), "Model1.cs");

        // A driver that has run on the unedited project once, as the IDE's driver has before the next edit.
        _projectDriver = CreateDriver().RunGenerators(Compile(_project));

        RequireModels(CreateDriver().RunGenerators(Compile(_deepModel)), 1);
        RequireModels(_projectDriver, ModelCount);
        RequireModels(_projectDriver.RunGenerators(Compile(_projectWithUnrelatedEdit)), ModelCount);
        RequireModels(_projectDriver.RunGenerators(Compile(_projectWithLayerEdit)), ModelCount);
    }

    /// <summary>First run on a project with one model of 20 layers and a loss.</summary>
    [Benchmark]
    public GeneratorDriver FullRunOneDeepModel() => CreateDriver().RunGenerators(Compile(_deepModel));

    /// <summary>First run on a project of 20 files with one 9-layer model each.</summary>
    [Benchmark]
    public GeneratorDriver FullRunTwentyModels() => CreateDriver().RunGenerators(Compile(_project));

    /// <summary>Rerun on the 20-model project after a method body changed in a file without models.</summary>
    [Benchmark]
    public GeneratorDriver RerunAfterUnrelatedEdit() => _projectDriver.RunGenerators(Compile(_projectWithUnrelatedEdit));

    /// <summary>Rerun on the 20-model project after one model's dense layer changed, which regenerates that model only.</summary>
    [Benchmark]
    public GeneratorDriver RerunAfterLayerEdit() => _projectDriver.RunGenerators(Compile(_projectWithLayerEdit));

    private static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(new[] { new ModelGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    private static CSharpCompilation Compile(SyntaxTree[] trees) =>
        CSharpCompilation.Create("GeneratorBenchmark", trees, References, CompilationOptions);

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>Stops the run when a benchmark input is not what it claims to be: each model valid and generated.</summary>
    private static void RequireModels(GeneratorDriver driver, int expected)
    {
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null || !result.Diagnostics.IsEmpty || result.GeneratedSources.Length != expected)
        {
            throw new InvalidOperationException(
                $"The benchmark input should generate {expected} models without diagnostics, but generated {result.GeneratedSources.Length}: "
                + string.Join("; ", result.Diagnostics) + " " + result.Exception);
        }
    }

    /// <summary>
    /// A VGG-style network on 3x32x32 inputs: three blocks of two padded 3x3 convolutions with ReLU and 2x2
    /// pooling, then three dense layers, 20 layers before the loss.
    /// </summary>
    private static string DeepModelSource() => """
        using ModelCompiler;

        namespace Benchmarks.Deep;

        [Model(Channels = 3, Height = 32, Width = 32)]
        [Conv2D(Filters = 16, Size = 3, Padding = 1)]
        [ReLU]
        [Conv2D(Filters = 16, Size = 3, Padding = 1)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Conv2D(Filters = 32, Size = 3, Padding = 1)]
        [ReLU]
        [Conv2D(Filters = 32, Size = 3, Padding = 1)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Conv2D(Filters = 64, Size = 3, Padding = 1)]
        [ReLU]
        [Conv2D(Filters = 64, Size = 3, Padding = 1)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Dense(128)]
        [ReLU]
        [Dense(64)]
        [ReLU]
        [Dense(10)]
        [SoftmaxCrossEntropy]
        public sealed partial class DeepNet
        {
        }
        """;

    /// <summary>A LeNet-style model of 9 layers and a loss, whose filter counts differ with <paramref name="index"/>.</summary>
    private static string SmallModelSource(int index, int denseUnits) => string.Format(
        CultureInfo.InvariantCulture,
        """
        using ModelCompiler;

        namespace Benchmarks.Project;

        [Model(Channels = 1, Height = 28, Width = 28)]
        [Conv2D(Filters = {0}, Size = 5, Padding = 2)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Conv2D(Filters = {1}, Size = 5)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Dense({2})]
        [ReLU]
        [Dense(10)]
        [SoftmaxCrossEntropy]
        public sealed partial class Net{3}
        {{
        }}
        """,
        4 + index,
        8 + index,
        denseUnits,
        index);

    private static string UnrelatedSource(int value) => $$"""
        namespace Benchmarks.Project;

        public static class Unrelated
        {
            public static int Value() => {{value}};
        }
        """;
}

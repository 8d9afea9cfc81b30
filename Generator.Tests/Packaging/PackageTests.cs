using System.Globalization;
using System.IO.Compression;
using Xunit;

namespace ModelCompiler.Tests.Packaging;

/// <summary>
/// Packs the ModelCompiler package and uses it as a user would: a new console project outside the repository that
/// references only the package, declares a model, builds, runs inference and trains for a few steps.
/// </summary>
/// <remarks>
/// These tests start real 'dotnet pack' and 'dotnet build' processes, which took 15 to 40 seconds on a 2-core
/// machine. Run the other tests without them with <c>dotnet test --filter "Category!=Package"</c>.
/// NOTE: the consumer's restore queries every configured package source for ModelCompiler, so it fails with NU1301
/// when a source is unreachable, for example offline.
/// </remarks>
[Trait("Category", "Package")]
public sealed class PackageTests : IClassFixture<PackedPackage>
{
    // 1x8x8 input -> Conv2D 2 filters 3x3, padding 1 -> 2x8x8 -> MaxPool2D 2 -> 2x4x4 -> Dense 3.
    // Parameters: 2*1*3*3 + 2 = 20 for the convolution and 32*3 + 3 = 99 for the dense layer.
    private const int ExpectedParameterCount = 119;

    private const string ConsumerProgram = """
        using System.Globalization;
        using ModelCompiler;
        using ModelCompiler.Training;

        const int batchSize = 4;
        var images = new float[batchSize * TinyNet.InputSize];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = (i % 13) / 13f - 0.5f;
        }

        var labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            labels[i] = i % TinyNet.OutputSize;
        }

        var model = new TinyNet();
        model.InitializeParameters(seed: 7);
        var logits = new float[batchSize * TinyNet.OutputSize];
        model.Forward(images, logits, batchSize);

        var optimizer = new SgdMomentum(learningRate: 0.05f, momentum: 0.9f);
        float firstLoss = model.TrainStep(images, labels, batchSize, optimizer);
        float lastLoss = firstLoss;
        for (int step = 0; step < 20; step++)
        {
            lastLoss = model.TrainStep(images, labels, batchSize, optimizer);
        }

        Console.WriteLine($"ParameterCount={TinyNet.ParameterCount}");
        Console.WriteLine($"ConvOutput={TinyNet.Layers.Conv1.OutputChannels}x{TinyNet.Layers.Conv1.OutputHeight}x{TinyNet.Layers.Conv1.OutputWidth}");
        Console.WriteLine($"FiniteLogits={logits.Count(float.IsFinite)}/{logits.Length}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FirstLoss={firstLoss:R}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LastLoss={lastLoss:R}"));

        [Model(Channels = 1, Height = 8, Width = 8)]
        [Conv2D(Filters = 2, Size = 3, Padding = 1)]
        [ReLU]
        [MaxPool2D(Size = 2)]
        [Dense(3)]
        [SoftmaxCrossEntropy]
        public sealed partial class TinyNet { }
        """;

    private readonly PackedPackage _package;

    public PackageTests(PackedPackage package) => _package = package;

    [Fact]
    public void PackageContainsRuntimeAndGenerator()
    {
        _package.EnsurePacked();

        Assert.Contains("lib/net10.0/ModelCompiler.Runtime.dll", _package.Entries);
        Assert.Contains("lib/net10.0/ModelCompiler.Runtime.xml", _package.Entries);
        Assert.Contains("analyzers/dotnet/cs/ModelCompiler.Generator.dll", _package.Entries);
        Assert.Contains("README.md", _package.Entries);
        Assert.Contains("LICENSE", _package.Entries);
        Assert.DoesNotContain(_package.Entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("ModelCompiler.Generator.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void PackageMetadataIsComplete()
    {
        _package.EnsurePacked();

        Assert.Equal(PackedPackage.PackageId, _package.NuspecValue("id"));
        Assert.Equal("MIT", _package.NuspecValue("license"));
        Assert.Equal("README.md", _package.NuspecValue("readme"));
        Assert.False(string.IsNullOrWhiteSpace(_package.NuspecValue("description")), "The nuspec has no description.");
        Assert.False(string.IsNullOrWhiteSpace(_package.NuspecValue("tags")), "The nuspec has no tags.");

        // The generator runs inside the compiler, so it must not appear as a dependency that users restore.
        var dependencies = _package.Nuspec!.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string?)e.Attribute("id")).ToList();
        Assert.DoesNotContain(dependencies, id => id is not null && id.Contains("Generator", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void SymbolPackageContainsRuntimePdb()
    {
        _package.EnsurePacked();
        Assert.True(_package.SymbolPackagePath is not null, $"No {PackedPackage.PackageId}.*.snupkg in {_package.FeedDirectory}.");

        using var archive = ZipFile.OpenRead(_package.SymbolPackagePath!);
        Assert.Contains(archive.Entries, e => e.FullName == "lib/net10.0/ModelCompiler.Runtime.pdb");
    }

    [Fact]
    public void ConsumerProjectBuildsAndTrains()
    {
        _package.EnsurePacked();
        string root = Path.Combine(_package.WorkDirectory, "consumer");
        string project = Path.Combine(root, "PackageConsumer");
        string packages = Path.Combine(_package.WorkDirectory, "packages");
        Directory.CreateDirectory(project);
        WriteConsumer(root, project);

        // An empty package folder, so that restore extracts the package from the feed and never uses an earlier copy.
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages };
        DotnetCli.Run(project, environment, "build", "-c", "Release", "--disable-build-servers").EnsureSuccess();

        Assert.True(
            Directory.Exists(Path.Combine(packages, "modelcompiler", _package.Version.ToLowerInvariant())),
            $"The build did not restore {PackedPackage.PackageId} {_package.Version} into {packages}.");

        string output = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "ModelCompiler.Runtime.dll")), $"ModelCompiler.Runtime.dll is missing from {output}.");
        Assert.False(File.Exists(Path.Combine(output, "ModelCompiler.Generator.dll")), $"The generator was copied to {output}, so it became a run-time dependency.");

        string generated = Path.Combine(project, "obj", "Release", "net10.0", "generated", "ModelCompiler.Generator");
        Assert.True(Directory.Exists(generated), $"{generated} does not exist, although the project sets EmitCompilerGeneratedFiles.");
        Assert.True(Directory.EnumerateFiles(generated, "*.cs", SearchOption.AllDirectories).Any(), $"{generated} contains no generated .cs file.");

        var run = DotnetCli.Run(project, environment, Path.Combine(output, "PackageConsumer.dll")).EnsureSuccess();
        var values = ParseValues(run.Output);

        Assert.Equal(ExpectedParameterCount.ToString(CultureInfo.InvariantCulture), values.GetValueOrDefault("ParameterCount"));
        Assert.Equal("2x8x8", values.GetValueOrDefault("ConvOutput"));
        Assert.Equal("12/12", values.GetValueOrDefault("FiniteLogits"));
        float firstLoss = ParseLoss(values, "FirstLoss");
        float lastLoss = ParseLoss(values, "LastLoss");
        Assert.True(float.IsFinite(firstLoss), $"The first TrainStep returned loss {firstLoss}.");
        Assert.True(firstLoss > 0, $"The first TrainStep returned loss {firstLoss}; cross-entropy on random weights is positive.");
        Assert.True(float.IsFinite(lastLoss), $"The last TrainStep returned loss {lastLoss}.");
        Assert.True(lastLoss < firstLoss, $"Loss went from {firstLoss} to {lastLoss} over 21 steps on one batch; training should lower it.");
    }

    /// <summary>
    /// Writes the console project and, in <paramref name="root"/> above it, a nuget.config that adds the feed and
    /// empty Directory.* files, so that no MSBuild settings from folders above the temporary folder reach the build.
    /// </summary>
    private void WriteConsumer(string root, string project)
    {
        // Adds the feed to the package sources configured for the user and the machine, as a user of a local
        // package would.
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="ModelCompilerPackageTests" value="{_package.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />\n");

        // Warnings fail the build, so that a generator the compiler cannot load (CS9057) or that throws (CS8785)
        // fails the test here rather than as missing members.
        File.WriteAllText(Path.Combine(project, "PackageConsumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedPackage.PackageId}" Version="{_package.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), ConsumerProgram);
    }

    private static Dictionary<string, string> ParseValues(string output)
    {
        var values = new Dictionary<string, string>();
        foreach (string line in output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int separator = line.IndexOf('=');
            if (separator > 0)
            {
                values[line[..separator]] = line[(separator + 1)..];
            }
        }

        return values;
    }

    private static float ParseLoss(Dictionary<string, string> values, string name)
    {
        Assert.True(values.TryGetValue(name, out string? text), $"The program printed no {name}= line.");
        Assert.True(float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value), $"{name}={text} is not a number.");
        return value;
    }
}

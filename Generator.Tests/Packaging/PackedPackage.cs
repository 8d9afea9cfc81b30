using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Xunit;

namespace ModelCompiler.Tests.Packaging;

/// <summary>
/// The ModelCompiler package, packed once from this repository's Runtime project into a temporary folder outside
/// the repository for all tests of <see cref="PackageTests"/>. Disposing deletes the folder.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public const string PackageId = "ModelCompiler";

    public PackedPackage()
    {
        RepositoryRoot = FindRepositoryRoot();
        WorkDirectory = Path.Combine(Path.GetTempPath(), "ModelCompiler.PackageTests." + Guid.NewGuid().ToString("N"));
        Assert.False(
            IsUnder(WorkDirectory, RepositoryRoot),
            $"The temporary folder {WorkDirectory} is inside the repository {RepositoryRoot}, where the repository's Directory.Build.props would apply; set TMPDIR to a folder outside it.");

        FeedDirectory = Path.Combine(WorkDirectory, "feed");
        Directory.CreateDirectory(FeedDirectory);
        try
        {
            (VersionSuffix, PackResult) = Pack();
            PackagePath = Directory.GetFiles(FeedDirectory, PackageId + ".*.nupkg").SingleOrDefault();
            SymbolPackagePath = Directory.GetFiles(FeedDirectory, PackageId + ".*.snupkg").SingleOrDefault();
            if (PackagePath is not null)
            {
                using var archive = ZipFile.OpenRead(PackagePath);
                Entries = archive.Entries.Select(e => e.FullName).ToList();
                var nuspecEntry = archive.Entries.Single(e => e.FullName == PackageId + ".nuspec");
                using var stream = nuspecEntry.Open();
                Nuspec = XDocument.Load(stream);
            }
        }
        catch
        {
            // Nothing disposes an object whose constructor throws, so delete the folder here.
            Dispose();
            throw;
        }
    }

    public string RepositoryRoot { get; }

    /// <summary>The temporary folder that contains the package feed and every project the tests create.</summary>
    public string WorkDirectory { get; }

    /// <summary>A folder with the packed .nupkg and .snupkg, used as a local package source.</summary>
    public string FeedDirectory { get; }

    /// <summary>The prerelease label that this pack appends to the project's VersionPrefix.</summary>
    public string VersionSuffix { get; }

    internal CommandResult PackResult { get; }

    /// <summary>The packed .nupkg, or null when packing produced none.</summary>
    public string? PackagePath { get; }

    /// <summary>The packed .snupkg, or null when packing produced none.</summary>
    public string? SymbolPackagePath { get; }

    /// <summary>Paths of the files inside the .nupkg, with forward slashes.</summary>
    public IReadOnlyList<string> Entries { get; } = [];

    public XDocument? Nuspec { get; }

    /// <summary>The package version from the nuspec.</summary>
    public string Version => NuspecValue("version") ?? throw new InvalidOperationException("The nuspec has no version.");

    /// <summary>Returns the text of the metadata element <paramref name="name"/> in the nuspec, or null when it is missing.</summary>
    public string? NuspecValue(string name) =>
        Nuspec?.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")
            ?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>Fails the test, with the pack output, unless packing succeeded and produced a package.</summary>
    public void EnsurePacked()
    {
        PackResult.EnsureSuccess();
        Assert.True(PackagePath is not null, $"'{PackResult.CommandLine}' produced no {PackageId}.*.nupkg in {FeedDirectory}. Its output:\n{PackResult.Output}");
        Assert.True(
            Version.EndsWith("-" + VersionSuffix, StringComparison.Ordinal),
            $"The package version {Version} ignores --version-suffix {VersionSuffix}; set VersionPrefix rather than Version in Runtime.csproj.");
    }

    public void Dispose()
    {
        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    /// <summary>
    /// Finds the folder with compiler.sln above the test assembly, or above this source file when the build put the
    /// assembly elsewhere (for example with --artifacts-path).
    /// </summary>
    private (string VersionSuffix, CommandResult Result) Pack()
    {
        // A private artifacts folder keeps this build apart from the repository's bin and obj folders, which the
        // surrounding 'dotnet test' build owns. --disable-build-servers leaves no compiler server running afterwards.
        // The version suffix makes the version unique, so no other package source can offer the same one.
        string suffix = "packagetest" + Guid.NewGuid().ToString("N");
        var result = DotnetCli.Run(
            RepositoryRoot,
            new Dictionary<string, string?>(),
            "pack",
            Path.Combine(RepositoryRoot, "Runtime", "Runtime.csproj"),
            "-c", "Release",
            "-o", FeedDirectory,
            "--version-suffix", suffix,
            "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"),
            "--disable-build-servers");
        return (suffix, result);
    }

    private static string FindRepositoryRoot([CallerFilePath] string sourcePath = "")
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourcePath) ?? string.Empty })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "compiler.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} or {sourcePath} contains compiler.sln, so the repository to pack was not found.");
    }

    private static bool IsUnder(string path, string directory)
    {
        string relative = Path.GetRelativePath(directory, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}

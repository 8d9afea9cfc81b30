using System.Runtime.CompilerServices;
using Xunit;

namespace ModelCompiler.Tests.Infrastructure;

/// <summary>
/// Compares text with a reviewed snapshot file under Generator.Tests/Snapshots. A missing or different snapshot
/// fails the test and writes NAME.received.cs beside it; review that file and rename it to accept the change.
/// </summary>
internal static class Snapshot
{
    public static void Match(string actual, string name, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(FindTestProjectDirectory(callerPath), "Snapshots");
        string approvedPath = Path.Combine(directory, name + ".approved.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        string normalized = Normalize(actual);

        if (File.Exists(approvedPath) && Normalize(File.ReadAllText(approvedPath)) == normalized)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, normalized);
        string reason = File.Exists(approvedPath)
            ? $"The generated code differs from the snapshot {approvedPath}."
            : $"The snapshot {approvedPath} does not exist.";
        Assert.Fail($"{reason} The new output is in {receivedPath}; compare the two, and if the change is intended, rename the received file to {Path.GetFileName(approvedPath)}.");
    }

    private static string Normalize(string text) => text.TrimStart('\uFEFF').Replace("\r\n", "\n");

    private static string FindTestProjectDirectory(string callerPath)
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(callerPath)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Generator.Tests.csproj")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"Generator.Tests.csproj was not found above {callerPath}.");
    }
}

using System.Diagnostics;
using System.Text;

namespace ModelCompiler.Tests.Packaging;

/// <summary>Runs the <c>dotnet</c> command-line tool in a child process, as a user's shell would.</summary>
internal static class DotnetCli
{
    /// <summary>
    /// The dotnet host to start: the one that the SDK names in DOTNET_HOST_PATH when it runs the tests, else the
    /// host running this process, else <c>dotnet</c> from PATH.
    /// </summary>
    public static string HostPath { get; } = FindHost();

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, waits for it to
    /// exit without a time limit, and returns its exit code and output. The child gets the variables in
    /// <paramref name="environment"/>, and a null value there removes a variable.
    /// </summary>
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(HostPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        RemoveInheritedMSBuildVariables(startInfo.Environment);
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();

        string commandLine = HostPath + " " + string.Join(" ", arguments);
        lock (output)
        {
            return new CommandResult(commandLine, process.ExitCode, output.ToString());
        }
    }

    /// <summary>
    /// Removes the MSBuild variables that <c>dotnet test</c> passes to the test host, such as MSBuildExtensionsPath
    /// and MSBuildSDKsPath. Left in place, they would override the paths that the child's SDK resolves itself.
    /// </summary>
    private static void RemoveInheritedMSBuildVariables(IDictionary<string, string?> environment)
    {
        var names = environment.Keys
            .Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .ToList();
        foreach (string name in names)
        {
            environment.Remove(name);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string FindHost()
    {
        string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        return "dotnet";
    }
}

/// <summary>The exit code and the interleaved standard output and error of one command.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    /// <summary>Fails the test with the command line and its whole output when the command did not exit with 0.</summary>
    public CommandResult EnsureSuccess()
    {
        Xunit.Assert.True(ExitCode == 0, $"'{CommandLine}' exited with {ExitCode}. Its output:\n{Output}");
        return this;
    }
}

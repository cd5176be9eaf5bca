using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Update;

/// <summary>
/// The agent under test (<c>TETHER_AGENT_BIN</c>, the NativeAOT publish) and a second NativeAOT
/// build of the same sources with the next patch version (<c>dotnet publish -p:Version=…</c>),
/// made once per agent binary and kept under the temp folder, so a test run pays for it once.
/// The sources are copied first: the second publish must not touch the checkout's obj/ or bin/.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class HigherBuild
{
    private static readonly Lazy<Task<string>> LazyPath = new(BuildAsync);

    /// <summary>The published agent under test; update tests need the real binary (an apphost cannot replace itself).</summary>
    public static string Current =>
        Environment.GetEnvironmentVariable("TETHER_AGENT_BIN") is { Length: > 0 } bin
            ? bin
            : throw new InvalidOperationException("update tests need the published NativeAOT agent: set TETHER_AGENT_BIN (see the preamble of scripts/test)");

    public static string CurrentVersion => Version(Current);

    /// <summary>The next patch version after <see cref="CurrentVersion"/>.</summary>
    public static string NextVersion
    {
        get
        {
            var parts = CurrentVersion.Split('-')[0].Split('.');
            return $"{parts[0]}.{parts[1]}.{int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + 1}";
        }
    }

    /// <summary>Path of the higher build's <c>tether</c>.</summary>
    public static Task<string> PathAsync() => LazyPath.Value;

    public static string Version(string binary)
    {
        var run = Run(binary, ["--version"], null, TimeSpan.FromSeconds(30));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} --version failed: {run.Output}");
        }

        return run.Output.Trim();
    }

    private static async Task<string> BuildAsync()
    {
        string current = Current;
        string next = NextVersion;
        string hash;
        await using (var stream = File.OpenRead(current))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream))[..16];
        }

        string root = Path.Join(Path.GetTempPath(), "tether-update-build", hash + "-" + next);
        string output = Path.Join(root, "out");
        string binary = Path.Join(output, "tether");
        if (File.Exists(binary) && Version(binary) == next)
        {
            return binary;
        }

        string sources = Path.Join(root, "src");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        CopyTree(Path.Join(RepoPaths.Root, "src", "Tether"), Path.Join(sources, "src", "Tether"));
        CopyTree(Path.Join(RepoPaths.Root, "build"), Path.Join(sources, "build"));

        // The service unit and plist are embedded resources of the agent (tether service install).
        CopyTree(Path.Join(RepoPaths.Root, "packaging", "systemd"), Path.Join(sources, "packaging", "systemd"));
        CopyTree(Path.Join(RepoPaths.Root, "packaging", "launchd"), Path.Join(sources, "packaging", "launchd"));
        File.Copy(Path.Join(RepoPaths.Root, "Directory.Build.props"), Path.Join(sources, "Directory.Build.props"));
        var publish = Run(
            "dotnet",
            ["publish", Path.Join(sources, "src", "Tether", "Tether.csproj"), "-c", "Release", "-r", "linux-x64", "-nologo", "-clp:ErrorsOnly", "-p:Version=" + next, "-o", output],
            sources,
            TimeSpan.FromMinutes(15));
        if (publish.ExitCode != 0 || !File.Exists(binary))
        {
            throw new InvalidOperationException($"publishing version {next} failed: {publish.Output}");
        }

        return binary;
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Join(to, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.EnumerateDirectories(from))
        {
            string name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopyTree(directory, Path.Join(to, name));
            }
        }
    }

    internal static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments, string? workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (string name in start.Environment.Keys.Where(AgentProcess.IsConfigVariable).ToList())
        {
            start.Environment.Remove(name);
        }

        var output = new StringBuilder();
        var ended = new CountdownEvent(2);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        // A process the program started may keep the pipes open (Wine's wineserver, started by
        // the first wine64 of a run, lives on): its output is complete at exit, so wait briefly.
        ended.Wait(TimeSpan.FromSeconds(5));
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }

        void Collect(string? line)
        {
            if (line is null)
            {
                ended.Signal();
                return;
            }

            lock (output)
            {
                output.Append(line).Append('\n');
            }
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Service;

/// <summary>
/// packaging/docker: no Docker engine here, so the Dockerfile is checked for its shape and the
/// entrypoint is run for real with a fake <c>tether</c> on PATH that prints what it got.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class DockerPackagingTests : IDisposable
{
    private const int FakeExitCode = 7;

    private static readonly string DockerDirectory = Path.Combine(RepoPaths.Root, "packaging", "docker");
    private static readonly string EntrypointPath = Path.Combine(DockerDirectory, "entrypoint.sh");

    private readonly TempDirectory _fakeBin = new("tether-fake-bin-");

    public DockerPackagingTests()
    {
        string fake = _fakeBin.Join("tether");
        File.WriteAllText(fake, $$"""
            #!/bin/sh
            echo "pid=$$"
            for a in "$@"; do echo "arg=$a"; done
            echo "CLIENT_CONFIG_PATH=${CLIENT_CONFIG_PATH-unset}"
            echo "LOG_FILE=${LOG_FILE-unset}"
            echo "TZ=${TZ-unset}"
            exit {{FakeExitCode}}
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _fakeBin.Dispose();

    [Fact]
    public async Task Entrypoint_PassesBashSyntaxCheck()
    {
        var run = await ToolRun.RunAsync("bash", ["-n", EntrypointPath]);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Entrypoint_NoArguments_ExecsTetherRun_WithTheNodeImagesDefaults()
    {
        var run = await RunEntrypointAsync([], new Dictionary<string, string?>());

        var output = Lines(run);
        Assert.Equal(["run"], output["arg"]);
        Assert.Equal("/config/agent-config.json", output["CLIENT_CONFIG_PATH"].Single());
        Assert.Equal("/logs/agent.log", output["LOG_FILE"].Single());
        Assert.Equal("unset", output["TZ"].Single());
        AssertExeced(run, output);
    }

    [Fact]
    public async Task Entrypoint_HonoursOverrides_AndPassesArgumentsThrough()
    {
        var run = await RunEntrypointAsync(
            ["check", "--insecure"],
            new Dictionary<string, string?> { ["CLIENT_CONFIG_PATH"] = "/srv/c.json", ["LOG_FILE"] = "/srv/log/a.log", ["TZ"] = "Europe/Berlin" });

        var output = Lines(run);
        Assert.Equal(["check", "--insecure"], output["arg"]);
        Assert.Equal("/srv/c.json", output["CLIENT_CONFIG_PATH"].Single());
        Assert.Equal("/srv/log/a.log", output["LOG_FILE"].Single());
        Assert.Equal("Europe/Berlin", output["TZ"].Single());
        if (File.Exists("/usr/share/zoneinfo/Europe/Berlin"))
        {
            Assert.Equal("", run.StandardError);
        }

        AssertExeced(run, output);
    }

    [Fact]
    public async Task Entrypoint_EmptyVariables_MeanTheDefaults()
    {
        var run = await RunEntrypointAsync([], new Dictionary<string, string?> { ["CLIENT_CONFIG_PATH"] = "", ["LOG_FILE"] = "" });

        var output = Lines(run);
        Assert.Equal("/config/agent-config.json", output["CLIENT_CONFIG_PATH"].Single());
        Assert.Equal("/logs/agent.log", output["LOG_FILE"].Single());
    }

    [Fact]
    public async Task Entrypoint_UnknownZone_WarnsOnStderr_AndStillStartsTheAgent()
    {
        var run = await RunEntrypointAsync([], new Dictionary<string, string?> { ["TZ"] = "Mars/Olympus_Mons" });

        Assert.Contains("TZ=Mars/Olympus_Mons is not a known time zone", run.StandardError, StringComparison.Ordinal);
        var output = Lines(run);
        Assert.Equal("Mars/Olympus_Mons", output["TZ"].Single());
        AssertExeced(run, output);
    }

    [Fact]
    public void Dockerfile_PublishesNativeAot_InAnSdkStage_AndRunsItUnderTini_InASmallImage()
    {
        string dockerfile = File.ReadAllText(Path.Combine(DockerDirectory, "Dockerfile"));
        string[] instructions = Instructions(dockerfile);

        string[] froms = [.. instructions.Where(i => i.StartsWith("FROM ", StringComparison.Ordinal))];
        Assert.Equal(2, froms.Length);
        var build = FromLine().Match(froms[0]);
        Assert.True(build.Success, froms[0]);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", build.Groups["image"].Value + ":" + build.Groups["version"].Value);
        // The runtime's glibc must not be older than the one the binary was linked against.
        Assert.Matches($"^FROM mcr\\.microsoft\\.com/dotnet/runtime-deps:10\\.0-{Regex.Escape(build.Groups["distro"].Value)}$", froms[1]);

        int runtimeStage = Array.IndexOf(instructions, froms[1]);
        string buildStage = string.Join("\n", instructions[..runtimeStage]);
        string runtime = string.Join("\n", instructions[runtimeStage..]);
        Assert.Matches(@"apt-get install [^\n]*\bclang\b[^\n]*\bllvm\b[^\n]*\bzlib1g-dev\b", buildStage);
        Assert.Matches(@"dotnet publish src/Tether/Tether\.csproj -c Release -r linux-x64\b", buildStage);
        foreach (string package in new[] { "bash", "ca-certificates", "cron", "openssh-client", "rsync", "tini", "tzdata" })
        {
            Assert.Matches($@"apt-get install [^\n]*\s{Regex.Escape(package)}(\s|$)", runtime);
        }

        Assert.Contains("COPY --from=build /out/tether /usr/local/bin/tether", runtime, StringComparison.Ordinal);
        Assert.Contains("COPY packaging/docker/entrypoint.sh /usr/local/bin/entrypoint.sh", runtime, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"/usr/bin/tini\", \"-s\", \"--\", \"/usr/local/bin/entrypoint.sh\"]", instructions);
        Assert.Contains("CMD [\"run\"]", instructions);
        Assert.DoesNotContain(instructions, i => i.StartsWith("USER ", StringComparison.Ordinal)); // an admin agent runs as root

        // Host build output stays out of the context (obj/ holds host paths that confuse restore).
        string[] ignored = File.ReadAllLines(Path.Combine(DockerDirectory, "Dockerfile.dockerignore"));
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);

        // Every file the build copies from the context exists (the build runs from the repository root).
        foreach (string copy in instructions.Where(i => i.StartsWith("COPY ", StringComparison.Ordinal) && !i.Contains("--from", StringComparison.Ordinal)))
        {
            string[] parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (string source in parts[1..^1])
            {
                Assert.True(Path.Exists(Path.Combine(RepoPaths.Root, source)), $"{copy}: {source} is not in the repository");
            }
        }
    }

    /// <summary>
    /// No Docker engine here, so the build stage is replayed in an empty folder: its COPY lines
    /// take exactly their files from the repository, its `dotnet` RUN lines run as written (with
    /// /out in the folder), the apt-get line is the base image's business. A file the build needs
    /// but the Dockerfile forgets to copy fails the replay, as it would fail `docker build`.
    /// </summary>
    [Fact]
    public async Task Dockerfile_BuildStage_ReplayedWithoutDocker_PublishesARunnableAgent()
    {
        string[] instructions = Instructions(File.ReadAllText(Path.Combine(DockerDirectory, "Dockerfile")));
        int runtimeStage = Array.FindIndex(instructions, 1, i => i.StartsWith("FROM ", StringComparison.Ordinal));
        using var root = new TempDirectory("tether-docker-build-");
        string context = root.Join("src");
        string output = root.Join("out");
        Directory.CreateDirectory(context);
        int dotnetRuns = 0;
        foreach (string instruction in instructions[1..runtimeStage])
        {
            if (instruction.StartsWith("COPY ", StringComparison.Ordinal))
            {
                string[] parts = instruction.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string destination = Path.Combine(context, parts[^1]);
                foreach (string source in parts[1..^1])
                {
                    string from = Path.Combine(RepoPaths.Root, source);
                    if (Directory.Exists(from))
                    {
                        CopyDirectory(from, destination);
                    }
                    else
                    {
                        Directory.CreateDirectory(destination);
                        File.Copy(from, Path.Combine(destination, Path.GetFileName(source)), overwrite: true);
                    }
                }
            }
            else if (instruction.StartsWith("RUN dotnet ", StringComparison.Ordinal))
            {
                foreach (string step in Regex.Split(instruction["RUN ".Length..], @"\s+&&\s+"))
                {
                    string[] command = step.Replace("/out", output, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    // A NativeAOT publish takes a minute or two on a busy 2-core machine.
                    var run = await ToolRun.RunAsync(command[0], command[1..], workingDirectory: context, deadline: TimeSpan.FromMinutes(6));
                    Assert.True(run.ExitCode == 0, $"{step} (files: only what the Dockerfile copies): {run}");
                }

                dotnetRuns++;
            }
        }

        Assert.Equal(2, dotnetRuns); // the restore layer and the publish layer
        Assert.True(File.Exists(Path.Combine(output, "tether")), "the publish put the agent where the runtime stage copies it from");
    }

    [Fact]
    public void Entrypoint_IsExecutable_InTheRepository()
    {
        Assert.True((File.GetUnixFileMode(EntrypointPath) & UnixFileMode.UserExecute) != 0, "git must keep entrypoint.sh executable (mode 100755)");
    }

    private async Task<ToolRun> RunEntrypointAsync(string[] args, Dictionary<string, string?> environment)
    {
        foreach (string name in new[] { "CLIENT_CONFIG_PATH", "LOG_FILE", "TZ" })
        {
            environment.TryAdd(name, null);
        }

        environment["PATH"] = _fakeBin.Path + ":/usr/bin:/bin";
        return await ToolRun.RunAsync("bash", [EntrypointPath, .. args], environment);
    }

    /// <summary>exec: the fake ran in the entrypoint's own process, and its exit code is the container's.</summary>
    private static void AssertExeced(ToolRun run, Dictionary<string, List<string>> output)
    {
        Assert.Equal(FakeExitCode, run.ExitCode);
        Assert.Equal(run.ProcessId.ToString(CultureInfo.InvariantCulture), output["pid"].Single());
    }

    private static Dictionary<string, List<string>> Lines(ToolRun run)
    {
        var lines = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["arg"] = [] };
        foreach (string line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"unexpected output line '{line}': {run}");
            string key = line[..eq];
            if (!lines.TryGetValue(key, out var values))
            {
                lines[key] = values = [];
            }

            values.Add(line[(eq + 1)..]);
        }

        return lines;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (string directory in Directory.GetDirectories(from))
        {
            string name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopyDirectory(directory, Path.Combine(to, name));
            }
        }
    }

    /// <summary>The Dockerfile's instructions, continuation lines joined, comments dropped.</summary>
    private static string[] Instructions(string dockerfile)
    {
        var result = new List<string>();
        string current = "";
        foreach (string raw in dockerfile.ReplaceLineEndings("\n").Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }

            current += line;
            if (current.Length > 0)
            {
                result.Add(WhiteSpace().Replace(current, " ").Trim());
            }

            current = "";
        }

        return [.. result];
    }

    [GeneratedRegex(@"^FROM (?<image>mcr\.microsoft\.com/dotnet/sdk):(?<version>10\.0)-(?<distro>[a-z0-9.]+) AS build$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

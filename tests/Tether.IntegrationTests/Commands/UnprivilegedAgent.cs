using System.Diagnostics;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Commands;

/// <summary>
/// Runs the agent under test as a dedicated unprivileged user (created with useradd when
/// missing), via <c>setpriv</c>, from a folder that user owns. Needs root, as CI has.
/// </summary>
internal sealed class UnprivilegedAgent : IAsyncDisposable
{
    private UnprivilegedAgent(string user, string directory, AgentProcess agent)
    {
        User = user;
        Directory = directory;
        Agent = agent;
    }

    public string User { get; }

    public string Directory { get; }

    public AgentProcess Agent { get; }

    public string AuditLogPath => Path.Combine(Directory, "audit.log");

    public static void EnsureUser(string user)
    {
        if (Run("id", "-u", user).Code != 0)
        {
            var (code, output) = Run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user);
            Assert.True(code == 0, $"useradd {user} failed: {output}");
        }
    }

    public static async Task<UnprivilegedAgent> StartAsync(string user, JsonObject config)
    {
        EnsureUser(user);
        var directory = System.IO.Directory.CreateTempSubdirectory("tether-unpriv-").FullName;
        var configPath = Path.Combine(directory, "agent-config.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var (code, output) = Run("chown", "-R", user + ":", directory);
        Assert.True(code == 0, $"chown failed: {output}");

        var (executable, prefix) = ResolveAgent();
        var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = null,
            PassConfigPath = false,
            Executable = "setpriv",
            ExecutableArgs = [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", executable, .. prefix],
            ExtraArgs = ["--config", configPath],
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string?> { ["HOME"] = directory, ["USER"] = user, ["LOGNAME"] = user },
        });
        return new UnprivilegedAgent(user, directory, agent);
    }

    /// <summary>Runs a program (as root) and returns its exit code and combined output.</summary>
    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Same choice as AgentProcess: the published binary from TETHER_AGENT_BIN, else the newest build.
    internal static (string Executable, string[] Args) ResolveAgent()
    {
        if (Environment.GetEnvironmentVariable("TETHER_AGENT_BIN") is { Length: > 0 } bin)
        {
            return (bin, []);
        }

        var binDir = Path.Combine(RepoPaths.Root, "src", "Tether", "bin");
        var dll = System.IO.Directory.GetDirectories(binDir)
            .Select(config => new FileInfo(Path.Combine(config, "net10.0", "tether.dll")))
            .Where(f => f.Exists)
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .First();
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        return (dotnet, [dll.FullName]);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// <c>tether run --service</c> under Wine's Service Control Manager, driven with <c>sc.exe</c>.
/// Wine ends its services when no other Wine program runs, so each test keeps one alive
/// (a <c>ping</c> in <c>cmd.exe</c>) for its length, and waits until it runs before the first
/// <c>sc</c>: the first program of a Wine session starts wineboot, whose services.exe inherits
/// that program's output pipes for the session's life. The service is deleted at the end.
/// </summary>
/// <remarks>
/// Every Wine call has a deadline and is killed with its process tree past it; when one did not
/// end, the prefix's wineserver is killed (<c>wineserver -k</c>) so that nothing of the test keeps
/// running. <c>sc.exe</c> is run by its Windows path: a bare <c>sc</c> is not found in the
/// current folder, so Wine would start it through <c>start.exe</c>, one more process.
/// </remarks>
[Trait("Category", "Windows")]
public sealed class WindowsServiceTests
{
    private const string Sc = @"C:\windows\system32\sc.exe";

    /// <summary>Each Wine call's limit; sc answers in about a second.</summary>
    internal static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Service_StartsSendsStats_AndStopsGracefully_WithExitCode0()
    {
        WindowsAgentTests.RequireWindowsAgent();
        await using var peer = await PeerServer.StartAsync();
        using var dir = new TempDirectory("tether-winsvc-");
        await File.WriteAllTextAsync(dir.Join("agent-config.json"), peer.CreateAgentConfig("win-service").ToJsonString());
        await using var keepAlive = await KeepWineAliveAsync();
        string name = "tether-test-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await CreateAsync(name, dir.Join("agent-config.json"));
            await ScAsync("start", name);
            await peer.WaitForEventAsync("stats", Waits.Reconnect, CancellationToken.None);
            Assert.Equal("RUNNING", (await QueryAsync(name)).State);

            await ScAsync("stop", name);
            var gone = await peer.WaitForAsync("disconnect", null, Waits.Event);
            Assert.Equal("client namespace disconnect", gone.Reason);
            var stopped = await WaitStoppedAsync(name);
            Assert.Equal(0, stopped.Win32ExitCode);
        }
        finally
        {
            await DeleteAsync(name);
        }
    }

    [Fact]
    public async Task Service_WithAFailingConfig_StopsWithServiceSpecificExitCode2()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var dir = new TempDirectory("tether-winsvc-");
        await File.WriteAllTextAsync(dir.Join("agent-config.json"), new JsonObject { ["clientId"] = "no-server" }.ToJsonString());
        await using var keepAlive = await KeepWineAliveAsync();
        string name = "tether-test-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await CreateAsync(name, dir.Join("agent-config.json"));
            await ScAsync("start", name, mayFail: true);
            var stopped = await WaitStoppedAsync(name);
            Assert.Equal(1066, stopped.Win32ExitCode); // ERROR_SERVICE_SPECIFIC_ERROR
            Assert.Equal(2, stopped.ServiceExitCode);
        }
        finally
        {
            await DeleteAsync(name);
        }
    }

    internal sealed record Status(string State, int Win32ExitCode, int ServiceExitCode);

    internal static string Launcher => Environment.GetEnvironmentVariable("TETHER_AGENT_LAUNCHER")!;

    /// <summary>A Linux path as Wine's Z: drive sees it.</summary>
    internal static string WinePath(string path) => "Z:" + path.Replace('/', '\\');

    internal static async Task<AgentProcess> KeepWineAliveAsync()
    {
        var keepAlive = await AgentProcess.StartAsync(new AgentOptions { Executable = Launcher, ExecutableArgs = ["cmd", "/c", "echo up&ping -n 300 127.0.0.1 >NUL"], Verb = null });
        try
        {
            await keepAlive.WaitForStandardOutputAsync(l => l.Trim() == "up", CallDeadline);
            return keepAlive;
        }
        catch
        {
            await keepAlive.DisposeAsync();
            throw;
        }
    }

    private static Task CreateAsync(string name, string configPath) =>
        ScAsync("create", name, "binPath=", $"{WinePath(Environment.GetEnvironmentVariable("TETHER_AGENT_BIN")!)} run --service --config {WinePath(configPath)}");

    private static async Task DeleteAsync(string name)
    {
        await ScAsync("stop", name, mayFail: true);
        await ScAsync("delete", name, mayFail: true);
    }

    private static async Task<ToolRun> ScAsync(string verb, string name, params string[] rest) => await ScAsync(verb, name, false, rest);

    internal static async Task<ToolRun> ScAsync(string verb, string name, bool mayFail, params string[] rest)
    {
        ToolRun run;
        try
        {
            run = await ToolRun.RunAsync(Launcher, [Sc, verb, name, .. rest], deadline: CallDeadline);
        }
        catch (TimeoutException)
        {
            await KillWineServerAsync();
            throw;
        }

        Assert.True(mayFail || run.ExitCode == 0, $"sc {verb} {name} failed: {run}");
        return run;
    }

    /// <summary>The last resort after a Wine call that would not end: ends every Wine process of the prefix.</summary>
    internal static async Task KillWineServerAsync()
    {
        string wineserver = Path.Combine(Path.GetDirectoryName(Launcher)!, "wineserver");
        if (File.Exists(wineserver))
        {
            await ToolRun.RunAsync(wineserver, ["-k"], deadline: CallDeadline);
        }
    }

    internal static async Task<Status> QueryAsync(string name)
    {
        var run = await ScAsync("query", name);
        string Field(string field) => Regex.Match(run.StandardOutput, field + @"\s*:\s*(\S+)\s+(\S*)") is { Success: true } m
            ? (field == "STATE" ? m.Groups[2].Value : m.Groups[1].Value)
            : throw new InvalidOperationException($"sc query {name}: no {field}: {run}");
        return new Status(Field("STATE"), int.Parse(Field("WIN32_EXIT_CODE"), CultureInfo.InvariantCulture), int.Parse(Field("SERVICE_EXIT_CODE"), CultureInfo.InvariantCulture));
    }

    private static async Task<Status> WaitStoppedAsync(string name)
    {
        var until = DateTime.UtcNow + Waits.Event;
        while (true)
        {
            var status = await QueryAsync(name);
            if (status.State == "STOPPED")
            {
                return status;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"service {name} did not stop within {Waits.Event.TotalSeconds} s; last state {status.State}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}

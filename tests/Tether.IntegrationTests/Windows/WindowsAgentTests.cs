using System.Text.Json;
using Tether.IntegrationTests.Commands;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// The win-x64 release file, run under Wine by scripts/test (TETHER_AGENT_BIN is the .exe,
/// TETHER_AGENT_LAUNCHER is wine64). These assert what only the Windows agent does, so the
/// Linux run leaves them out with <c>Category!=Windows</c> and the Wine run selects them with
/// <c>Category=Windows</c>; run without Wine they fail at once, naming what is missing.
/// </summary>
[Trait("Category", "Windows")]
public sealed class WindowsAgentTests
{
    [Fact]
    public async Task Stats_CarryWindowsFields()
    {
        RequireWindowsAgent();
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("win-stats"));

        var stats = await peer.WaitForEventAsync("stats", Waits.Reconnect, CancellationToken.None);
        AssertWindowsStatsShape(stats.Payload);
    }

    /// <summary>The members of TelemetryTests.AssertStatsShape, with the Windows values (docs/protocol.md §3).</summary>
    private static void AssertWindowsStatsShape(JsonElement payload)
    {
        var data = TelemetryTests.AssertCommonStatsShape(payload, out string diskPath, out _);
        Assert.Equal("win32", data.GetProperty("os").GetString());
        Assert.Equal("x64", data.GetProperty("arch").GetString());
        Assert.True(data.GetProperty("cpuCount").GetInt32() >= 1);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("load").ValueKind);
        Assert.Matches(@"^[A-Z]:\\$", diskPath);
        Assert.False(data.TryGetProperty("cpuPerCore", out _), "docs/protocol.md §3: per-core CPU is Linux only for now");
        var system = Assert.Single(data.GetProperty("disks").EnumerateArray(), d => d.GetProperty("path").GetString() == diskPath);
        Assert.True(system.GetProperty("totalBytes").GetInt64() > 0);
        Assert.True(system.GetProperty("readBytesPerSec").GetDouble() >= 0 && system.GetProperty("writeBytesPerSec").GetDouble() >= 0);
        Assert.False(string.IsNullOrEmpty(system.GetProperty("fs").GetString()));
    }

    [Fact]
    public async Task AdminRun_CmdEcho_ReturnsItsOutputAndCode()
    {
        RequireWindowsAgent();
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "win-admin", "cmd"));
        await peer.WaitForEventAsync("stats", Waits.Reconnect, r => r.ClientId == "win-admin");

        var ok = await AdminRun.RunAsync(peer, "win-admin", "w1", "cmd /c echo hi there");
        Assert.Equal("hi there\r\n", AdminRun.Stdout(ok));
        Assert.Equal(0, AdminRun.Code(ok));

        var failed = await AdminRun.RunAsync(peer, "win-admin", "w2", "cmd /c exit 7");
        Assert.Equal(7, AdminRun.Code(failed));
    }

    [Fact]
    public async Task AdminRun_Timeout_EndsTheWholeTreeThroughTheJobObject()
    {
        RequireWindowsAgent();
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "win-timeout", "cmd"));
        await peer.WaitForEventAsync("stats", Waits.Reconnect, r => r.ClientId == "win-timeout");

        // cmd.exe is the child, ping.exe its child; under Wine each is a Linux process whose
        // command line is the Windows one, so the grandchild is found by its arguments.
        const string Grandchild = "ping -n 93 127.0.0.1";
        await AdminRun.EmitAsync(peer, "win-timeout", "w3", $"cmd /c \"{Grandchild} >NUL\"", c => c["timeoutSec"] = 2);
        await Poll.UntilAsync(() => ProcessesRunning(Grandchild).Count > 0, Waits.Event, "the grandchild ping.exe to start");
        var result = (await AdminRun.ResultAsync(peer, "w3")).Payload;

        Assert.Equal(124, AdminRun.Code(result));
        await Poll.UntilAsync(() => ProcessesRunning(Grandchild).Count == 0, Waits.Event, "the grandchild ping.exe to end with its job");
    }

    [Fact]
    public async Task ServiceFlag_FromAConsole_IsRefusedWithExitCode2()
    {
        RequireWindowsAgent();
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Verb = "run", ExtraArgs = ["--service"] });

        Assert.Equal(2, await agent.WaitForExitAsync(Waits.Reconnect));
        Assert.Contains(agent.StandardErrorLines, l => l.Contains("not started by the Windows Service Control Manager", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_Redirected_PrintsAnAsciiArrow()
    {
        RequireWindowsAgent();
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = peer.CreateAgentConfig("win-check"), Verb = "check" });

        Assert.Equal(0, await agent.WaitForExitAsync(Waits.Reconnect));
        string resolve = Assert.Single(agent.StandardOutputLines, l => l.Contains("resolve", StringComparison.Ordinal));
        Assert.Contains("127.0.0.1 -> 127.0.0.1", resolve, StringComparison.Ordinal);
        Assert.DoesNotContain(agent.StandardOutputLines, l => l.Contains('→', StringComparison.Ordinal) || l.Contains('?', StringComparison.Ordinal));
    }

    /// <summary>Pids of live processes whose command line (/proc/&lt;pid&gt;/cmdline, NULs as spaces) is <paramref name="commandLine"/>.</summary>
    internal static List<int> ProcessesRunning(string commandLine) =>
        [.. ProcFs.AllPids().Where(pid => ProcFs.IsAlive(pid) && ReadCommandLine(pid) == commandLine)];

    private static string? ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static void RequireWindowsAgent()
    {
        if (!AgentProcess.IsWindowsAgent)
        {
            throw new InvalidOperationException(
                "These tests need the win-x64 file and Wine: TETHER_AGENT_BIN=<tether-…-win-x64.exe> TETHER_AGENT_LAUNCHER=/usr/lib/wine/wine64 (scripts/test sets both), and --filter Category=Windows.");
        }
    }
}

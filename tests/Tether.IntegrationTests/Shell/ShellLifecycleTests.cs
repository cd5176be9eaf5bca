using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Shell;

public sealed partial class ShellLifecycleTests
{
    [Fact]
    public async Task Exit3_SendsExactlyOneShellClosed_WithCode3()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-exit");
        await h.OpenShellAsync("s1");
        await h.InputAsync("s1", "exit 3\n");
        var closed = await h.WaitForClosedAsync("s1");
        Assert.Equal(3, closed.Payload.GetProperty("code").GetInt32());
        Assert.Equal("exited", closed.Payload.GetProperty("reason").GetString());
        Assert.False(closed.Payload.TryGetProperty("signal", out _));

        // Close and input after the end are ignored; a later shell proves the agent went on.
        await h.Peer.EmitAsync("shell_close", new { session = "s1" });
        await h.OpenShellAsync("s2");
        await h.Peer.EmitAsync("shell_close", new { session = "s2" });
        await h.WaitForClosedAsync("s2");
        Assert.Equal(1, h.CountClosed("s1"));
        Assert.Equal(1, h.CountClosed("s2"));

        var audit = h.Agent.ReadAuditRecords();
        Assert.Contains(audit, r => Field(r, "action") == "shell_start" && Field(r, "outcome") == "ok" && Field(r, "session") == "s1");
        Assert.Contains(audit, r => Field(r, "action") == "shell_closed" && Field(r, "session") == "s1");
    }

    [Theory]
    [InlineData("/bin/bash")]
    [InlineData("/bin/sh")] // dash here: interactive, jobs in their own groups, no SIGHUP passed on
    public async Task ShellClose_SendsOneShellClosed_AndKillsBackgroundJobs_EvenOnesIgnoringSighup(string program)
    {
        await using var h = await AgentShellHarness.StartAsync(
            "shell-close-" + Path.GetFileName(program),
            c =>
            {
                AgentShellHarness.Section(c, "admin")["maxConcurrent"] = 1;
                if (program == "/bin/sh")
                {
                    AgentShellHarness.Section(c, "shell")["command"] = program;
                    AgentShellHarness.Section(c, "shell")["args"] = new System.Text.Json.Nodes.JsonArray("-i");
                }
            });
        var shell = await h.OpenShellAsync("s1");
        var plain = Pid(await h.RunAsync(shell, "sleep 1000 & echo pid=$!; echo mark-$((1+1))", "mark-2"), shell);
        var stubborn = Pid(await h.RunAsync(shell, "(trap '' HUP; exec sleep 1001) & echo pid=$!; echo mark-$((1+2))", "mark-3"), shell);
        await Poll.UntilAsync(() => ProcFs.Command(stubborn) == "sleep", Waits.Event, "the HUP-ignoring sleep to exec");
        Assert.True(ProcFs.IsAlive(plain) && ProcFs.IsAlive(stubborn));

        var from = h.Peer.RecordCount;
        await h.Peer.EmitAsync("shell_close", new { session = "s1" });
        await h.Peer.EmitAsync("shell_close", new { session = "s1" });
        var closed = await h.WaitForClosedAsync("s1", from);
        Assert.Equal("closed", closed.Payload.GetProperty("reason").GetString());
        Assert.False(ProcFs.IsAlive(plain), $"background sleep {plain} survived");
        Assert.False(ProcFs.IsAlive(stubborn), $"HUP-ignoring sleep {stubborn} survived");

        // The slot came back: with maxConcurrent 1 another shell starts.
        await h.OpenShellAsync("s2");
        Assert.Equal(1, h.CountClosed("s1"));
    }

    [Fact]
    public async Task EnableShellFalse_RefusesWithShellDisabled()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-disabled", c => AgentShellHarness.Section(c, "admin")["enableShell"] = false);
        await h.StartShellAsync("s1");
        var closed = await h.WaitForClosedAsync("s1");
        Assert.Equal("shell disabled", closed.Payload.GetProperty("reason").GetString());
        var audit = await h.Agent.WaitForAuditAsync(r => Field(r, "action") == "shell_start", Waits.Event);
        Assert.Equal("refused", Field(audit, "outcome"));
        Assert.Equal("shell disabled", Field(audit, "reason"));
    }

    [Fact]
    public async Task MaxConcurrentReached_RefusesWithBusy_AndADuplicateStartIsIgnored()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-busy", c => AgentShellHarness.Section(c, "admin")["maxConcurrent"] = 1);
        var shell = await h.OpenShellAsync("s1");
        await h.StartShellAsync("s2");
        var busy = await h.WaitForClosedAsync("s2");
        Assert.Equal("busy", busy.Payload.GetProperty("reason").GetString());

        await h.StartShellAsync("s1");
        await h.Agent.WaitForLogAsync(r => ShellBasicsTests.Message(r).Contains("already open", StringComparison.Ordinal), Waits.Event);
        await h.RunAsync(shell, "echo still-$((8+1))", "still-9");
        Assert.Equal(0, h.CountClosed("s1"));
    }

    [Fact]
    public async Task InvalidPayloads_AreWarnedAbout_AndNeverCrashTheAgent()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-junk");
        var shell = await h.OpenShellAsync("s1");
        await h.Peer.EmitAsync("shell_start", new { session = new string('x', 129) });
        await h.Peer.EmitAsync("shell_start", new { session = "" });
        await h.Peer.EmitAsync("shell_start", new { session = "s9", cols = "wide" });
        await h.Peer.EmitAsync("shell_input", new { session = "s1", data = 42 });
        await h.Peer.EmitAsync("shell_input", new { session = "s1" });
        await h.Peer.EmitAsync("shell_input", new { session = "s1", data = "x", encoding = "rot13" });
        await h.Peer.EmitAsync("shell_input", new { session = "nope", data = "x" });
        await h.Peer.EmitAsync("shell_close", new { session = new[] { 1 } });
        await h.Peer.EmitAsync("shell_close", new { session = "nope" });
        await h.Peer.EmitRawAsync(["shell_start"]);
        await h.Peer.EmitRawAsync(["shell_input", null]);
        await h.Peer.EmitAsync("shell_input", new { session = "s1", data = new string('a', 2 * 1024 * 1024) });
        await h.RunAsync(shell, "echo alive-$((6+1))", "alive-7");
        Assert.DoesNotContain(h.Peer.Records, r => r.Kind == "event" && r.Event == "shell_closed");
        Assert.False(h.Agent.HasExited);
    }

    [Fact]
    public async Task TenShells_OpenedAndClosed_LeaveNoZombiesAndNoOpenFds()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-ten");
        var agentPid = h.Agent.ProcessId;

        // Warm up once (thread pool, pipes, lazily opened files), then take the baseline.
        await h.OpenShellAsync("warm");
        await h.Peer.EmitAsync("shell_close", new { session = "warm" });
        await h.WaitForClosedAsync("warm");
        var baseline = ProcFs.FdCount(agentPid);

        for (var i = 0; i < 10; i++)
        {
            var id = "loop-" + i.ToString(CultureInfo.InvariantCulture);
            await h.OpenShellAsync(id);
            if (i % 2 == 0)
            {
                await h.Peer.EmitAsync("shell_close", new { session = id });
            }
            else
            {
                await h.InputAsync(id, "exit\n");
            }

            await h.WaitForClosedAsync(id);
        }

        Assert.DoesNotContain(ProcFs.Descendants(agentPid), pid => ProcFs.Stat(pid)?.State == 'Z');
        Assert.Empty(ProcFs.Descendants(agentPid));
        var fds = 0;
        await Poll.UntilAsync(() => (fds = ProcFs.FdCount(agentPid)) <= baseline, Waits.Event, $"fd count back to {baseline}");
        Assert.True(fds <= baseline, $"{fds} fds, baseline {baseline}");
    }

    [Fact]
    public async Task Sigterm_WithAnOpenShell_ReportsAgentShuttingDown_AndExitsZero()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-sigterm");
        var shell = await h.OpenShellAsync("s1");
        var pid = Pid(await h.RunAsync(shell, "echo pid=$$; echo mark-$((1+1))", "mark-2"), shell);
        h.Agent.SendSignal(UnixSignals.SIGTERM);
        var closed = await h.WaitForClosedAsync("s1");
        Assert.Equal("agent shutting down", closed.Payload.GetProperty("reason").GetString());
        Assert.Equal(0, await h.Agent.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(ProcFs.IsAlive(pid));
    }

    internal static string? Field(JsonElement record, string name) =>
        record.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The pid printed as <c>pid=N</c> (the echoed command shows <c>pid=$!</c>, which does not match).</summary>
    internal static int Pid(string text, ShellOutputReader shell)
    {
        var match = PidPattern().Match(text);
        Assert.True(match.Success, "no pid in: " + shell.Text);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex PidPattern();
}

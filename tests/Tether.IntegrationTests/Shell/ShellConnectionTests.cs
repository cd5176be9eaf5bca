using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Shell;

public sealed class ShellConnectionTests
{
    [Fact]
    public async Task ServerDisconnect_ShellSurvives_AndAnswersAfterReconnect()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-blip");
        var shell = await h.OpenShellAsync("s1");
        var pid = ShellLifecycleTests.Pid(await h.RunAsync(shell, "echo pid=$$; echo mark-$((1+1))", "mark-2"), shell);

        var from = h.Peer.RecordCount;
        await h.Peer.DisconnectClientsAsync();
        await h.Peer.WaitForAsync("sent", r => r.Event == "hello_ack", Waits.Reconnect, from);
        Assert.True(ProcFs.IsAlive(pid));
        await h.RunAsync(shell, "echo back-$((2+3))", "back-5");
        Assert.Equal(0, h.CountClosed("s1"));
        await h.Agent.WaitForLogAsync(r => ShellBasicsTests.Message(r).StartsWith("connection back", StringComparison.Ordinal), Waits.Event);
    }

    [Fact]
    public async Task OutagePastTheGrace_ClosesTheShell_AndTheQueuedShellClosedArrivesAfterReconnect()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-grace", c => AgentShellHarness.Section(c, "shell")["reconnectGraceSec"] = 1);
        var shell = await h.OpenShellAsync("s1");
        var pid = ShellLifecycleTests.Pid(await h.RunAsync(shell, "echo pid=$$; echo mark-$((1+1))", "mark-2"), shell);

        await h.Peer.StopAsync();
        await h.Agent.WaitForLogAsync(r => ShellBasicsTests.Message(r).StartsWith("shell s1 ended", StringComparison.Ordinal), Waits.Event);
        Assert.False(ProcFs.IsAlive(pid));

        var from = h.Peer.RecordCount;
        await h.Peer.RestartAsync();
        var closed = await h.WaitForClosedAsync("s1", from);
        Assert.Equal("connection lost", closed.Payload.GetProperty("reason").GetString());
        Assert.Equal(1, h.CountClosed("s1"));
    }

    [Fact]
    public async Task ShellExitingDuringAnOutage_HasItsShellClosedQueued()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-exit-offline");
        var shell = await h.OpenShellAsync("s1");
        var trigger = Path.Combine(h.Agent.Directory, "exit-now");
        await h.RunAsync(shell, $"while [ ! -e '{trigger}' ]; do sleep 0.05; done; exit 4; echo armed-$((1+1))", "exit 4");

        await h.Peer.StopAsync();
        await h.Agent.WaitForLogAsync(r => ShellBasicsTests.Message(r).StartsWith("connection lost", StringComparison.Ordinal), Waits.Event);
        await File.WriteAllTextAsync(trigger, "");
        await h.Agent.WaitForLogAsync(r => ShellBasicsTests.Message(r).StartsWith("shell s1 ended", StringComparison.Ordinal), Waits.Event);

        var from = h.Peer.RecordCount;
        await h.Peer.RestartAsync();
        var closed = await h.WaitForClosedAsync("s1", from);
        Assert.Equal(4, closed.Payload.GetProperty("code").GetInt32());
        Assert.Equal("exited", closed.Payload.GetProperty("reason").GetString());
    }
}

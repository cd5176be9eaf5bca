using System.Net.WebSockets;

using static Tether.IntegrationTests.Infrastructure.RawHandshake;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>Stopping, restarting, freezing and killing the peer process.</summary>
public sealed class PeerServerLifecycleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StopThenRestart_ListensOnTheSamePort()
    {
        await using var peer = await PeerServer.StartAsync();
        var port = peer.Port;
        var firstPid = peer.ProcessId;
        await using (var client = await HandshakeAsync(peer, "agent-before"))
        {
            await peer.StopAsync();
            Assert.False(peer.IsRunning);
            await DrainUntilClosedAsync(client);
        }

        await peer.RestartAsync();

        Assert.Equal(port, peer.Port);
        Assert.NotEqual(firstPid, peer.ProcessId);
        await using var again = await HandshakeAsync(peer, "agent-after");
        Assert.Equal(2, peer.Records.Count(r => r.Kind == "listening"));
        Assert.Equal(1, await peer.CountAsync());

        await peer.KillAsync();
        await peer.RestartAsync();
        Assert.Equal(port, peer.Port);
    }

    [Fact]
    public async Task SuspendThenResume_FreezesTheProcessWhileConnectionsStayOpen()
    {
        Assert.True(OperatingSystem.IsLinux(), "reads /proc");
        await using var peer = await PeerServer.StartAsync();
        await using var client = await HandshakeAsync(peer, "agent-frozen");

        await peer.SuspendAsync();
        Assert.Equal('T', ProcFs.State(peer.ProcessId));
        await Assert.ThrowsAsync<InvalidOperationException>(() => peer.CountAsync());
        await client.SendAsync("""42/agents,["stats",{"while":"suspended"}]""");
        Assert.Equal(WebSocketState.Open, client.State);

        await peer.ResumeAsync();

        Assert.NotEqual('T', ProcFs.State(peer.ProcessId));
        var stats = await peer.WaitForEventAsync("stats", Timeout, r => r.ClientId == "agent-frozen");
        Assert.Equal("suspended", stats.Payload.GetProperty("while").GetString());
        Assert.Equal(1, await peer.CountAsync());
    }

    [Fact]
    public async Task Dispose_KillsTheNodeProcess_EvenWhenSuspended()
    {
        var peer = await PeerServer.StartAsync();
        var pid = peer.ProcessId;
        await peer.SuspendAsync();

        await peer.DisposeAsync();

        Assert.Null(ProcFs.State(pid));
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }

    [Fact]
    public async Task Waiters_FailAtOnce_WhenThePeerDiesUnexpectedly()
    {
        await using var peer = await PeerServer.StartAsync();
        var waiting = peer.WaitForEventAsync("stats", TimeSpan.FromMinutes(5), CancellationToken.None);

        UnixSignals.Send(peer.ProcessId, UnixSignals.SIGKILL);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting);
        Assert.Contains("exited unexpectedly", ex.Message, StringComparison.Ordinal);
        Assert.False(peer.IsRunning);
    }

    [Fact]
    public async Task Start_WithUnreadableCertificate_FailsWithThePeersError()
    {
        var options = new PeerOptions { TlsCertPath = "/nonexistent/server.pem", TlsKeyPath = "/nonexistent/server-key.pem" };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PeerServer.StartAsync(options));

        Assert.Contains("ENOENT", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exited unexpectedly with code 1", ex.Message, StringComparison.Ordinal);
    }
}

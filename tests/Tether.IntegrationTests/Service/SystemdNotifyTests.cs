using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Service;

/// <summary>The real agent binary against the real peer, with this test as systemd's notify socket.</summary>
public sealed class SystemdNotifyTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Ready_ComesAfterTheFirstHelloAck_NotWhenTheConnectionIsUp()
    {
        const string clientId = "notify-ready";
        await using var peer = await PeerServer.StartAsync(new PeerOptions { HelloAck = false });
        using var notify = NotifySocketListener.BindPath();
        await using var agent = await StartAgentAsync(peer.CreateAgentConfig(clientId), notify);

        Assert.Equal($"STATUS=connecting to 127.0.0.1:{peer.Port}", await notify.WaitForAsync(_ => true, Waits.Event));
        await peer.WaitForAsync("connect", r => r.ClientId == clientId, Waits.Event);

        // Connected, not acknowledged: the dashboard does not know the agent yet. The drop makes
        // the agent report it and reconnect, this time to a peer that sends hello_ack.
        await peer.SetHelloAckAsync(true);
        await peer.DisconnectClientsAsync(clientId);
        await notify.WaitForAsync(m => m == $"STATUS=reconnecting to 127.0.0.1:{peer.Port} (connection lost)", Waits.Event);
        await notify.FlushAsync(Waits.Event);
        Assert.DoesNotContain(notify.Messages, m => m.Contains("READY=1", StringComparison.Ordinal));

        string ready = await notify.WaitForAsync(m => m.Contains("READY=1", StringComparison.Ordinal), Waits.Reconnect);
        Assert.Equal($"READY=1\nSTATUS=connected to 127.0.0.1:{peer.Port}", ready);
        await peer.WaitForAsync("sent", r => r.Event == "hello_ack" && r.ClientId == clientId, Waits.Event);
        await notify.FlushAsync(Waits.Event);
        Assert.Single(notify.Messages, m => m.Contains("READY=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ready_IsNotSent_WhileTheServerIsUnreachable_AndSigtermStillSendsStopping()
    {
        int port = ClosedLoopbackPort();
        var config = new JsonObject { ["clientId"] = "notify-offline", ["serverUrl"] = $"http://127.0.0.1:{port}", ["authToken"] = "t" };
        using var notify = NotifySocketListener.BindPath();
        await using var agent = await StartAgentAsync(config, notify);

        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).StartsWith("reconnecting in", StringComparison.Ordinal), Waits.Event);
        await notify.FlushAsync(Waits.Event);
        Assert.Equal([$"STATUS=connecting to 127.0.0.1:{port}"], notify.Messages);

        agent.SendSignal(UnixSignals.SIGTERM);
        Assert.Equal(0, await agent.WaitForExitAsync(ExitDeadline));
        await notify.FlushAsync(Waits.Event);
        Assert.Equal([$"STATUS=connecting to 127.0.0.1:{port}", "STOPPING=1\nSTATUS=stopping"], notify.Messages);
    }

    [Fact]
    public async Task Sigterm_SendsStoppingOnce_AfterReady_AndNoReconnectStatusAfterIt()
    {
        await using var peer = await PeerServer.StartAsync();
        using var notify = NotifySocketListener.BindPath();
        await using var agent = await StartAgentAsync(peer.CreateAgentConfig("notify-stop"), notify);
        await notify.WaitForAsync(m => m.StartsWith("READY=1", StringComparison.Ordinal), Waits.Event);

        agent.SendSignal(UnixSignals.SIGTERM);
        Assert.Equal(0, await agent.WaitForExitAsync(ExitDeadline));
        await notify.FlushAsync(Waits.Event);

        var messages = notify.Messages;
        int stopping = messages.ToList().FindIndex(m => m.StartsWith("STOPPING=1", StringComparison.Ordinal));
        Assert.True(stopping >= 0, "no STOPPING=1: " + notify.Describe());
        Assert.Equal(stopping, messages.Count - 1);
        Assert.Single(messages, m => m.StartsWith("STOPPING=1", StringComparison.Ordinal));
        Assert.True(messages.ToList().FindIndex(m => m.StartsWith("READY=1", StringComparison.Ordinal)) < stopping);
    }

    [Fact]
    public async Task WatchdogUsec_GivesWatchdogPings_ToAnAbstractSocket()
    {
        await using var peer = await PeerServer.StartAsync();
        using var notify = NotifySocketListener.BindAbstract();
        await using var agent = await StartAgentAsync(peer.CreateAgentConfig("notify-watchdog"), notify, watchdogUsec: 400_000);

        await notify.WaitForAsync(m => m == "WATCHDOG=1", Waits.Event, count: 3);
        await notify.WaitForAsync(m => m.StartsWith("READY=1", StringComparison.Ordinal), Waits.Event);
    }

    [Fact]
    public async Task WatchdogPid_OfAnotherProcess_MeansNoPings()
    {
        const string clientId = "notify-watchdog-other";
        await using var peer = await PeerServer.StartAsync();
        using var notify = NotifySocketListener.BindPath();
        var config = peer.CreateAgentConfig(clientId);
        config["statsIntervalSec"] = 1;
        await using var agent = await StartAgentAsync(config, notify, watchdogUsec: 100_000, watchdogPid: 1);

        await notify.WaitForAsync(m => m.StartsWith("READY=1", StringComparison.Ordinal), Waits.Event);
        // Three stats a second apart: time for ~20 pings (every 50 ms) had the watchdog been on.
        await peer.WaitForEventsAsync("stats", 3, Waits.Event, r => r.ClientId == clientId);
        await notify.FlushAsync(Waits.Event);
        Assert.DoesNotContain("WATCHDOG=1", notify.Messages);
    }

    private static Task<AgentProcess> StartAgentAsync(JsonObject config, NotifySocketListener notify, int? watchdogUsec = null, int? watchdogPid = null)
    {
        var environment = new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.NotifySocket };
        if (watchdogUsec is { } usec)
        {
            environment["WATCHDOG_USEC"] = usec.ToString(CultureInfo.InvariantCulture);
        }

        if (watchdogPid is { } pid)
        {
            environment["WATCHDOG_PID"] = pid.ToString(CultureInfo.InvariantCulture);
        }

        return AgentProcess.StartAsync(new AgentOptions { Config = config, Environment = environment });
    }

    private static int ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

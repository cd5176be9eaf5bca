using System.Text.Json;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task Ping_IsAnsweredWithPong_EchoingTsUntouched_AlsoViaTheMessageEnvelope()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("pinger"));
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);

        await peer.EmitAsync("ping", new { ts = 1764423000123.0 });
        var numeric = await peer.WaitForEventAsync("pong", Waits.Event, r => r.Payload.GetProperty("ts").ValueKind == JsonValueKind.Number);
        Assert.Equal("1764423000123", numeric.Payload.GetProperty("ts").GetRawText());
        Assert.Equal("pong", numeric.Payload.GetProperty("type").GetString());
        Assert.Equal("pong", numeric.Payload.GetProperty("t").GetString());

        await peer.EmitAsync("ping", new { ts = "opaque-17" });
        await peer.WaitForEventAsync("pong", Waits.Event, r => r.Payload.GetProperty("ts").ValueKind == JsonValueKind.String && r.Payload.GetProperty("ts").GetString() == "opaque-17");

        await peer.EmitAsync("message", new { type = "ping", ts = 424242 });
        await peer.WaitForEventAsync("pong", Waits.Event, r => r.Payload.GetProperty("ts").GetRawText() == "424242");

        await peer.EmitAsync("message", new { t = "ping", ts = "via-t" });
        await peer.WaitForEventAsync("pong", Waits.Event, r => r.Payload.GetProperty("ts").GetRawText() == "\"via-t\"");
    }

    [Fact]
    public async Task NothingSentForHalfThePongTimeout_TheAgentPingsOnItsOwn()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions { PingInterval = TimeSpan.FromSeconds(1), PingTimeout = TimeSpan.FromSeconds(5) });
        var config = peer.CreateAgentConfig("proactive");
        config["statsIntervalSec"] = 3600;
        config["pongTimeoutSec"] = 4;
        config["heartbeatIntervalSec"] = 1;
        await using var agent = await AgentProcess.StartAsync(config);

        var ping = await peer.WaitForEventAsync("ping", Waits.Event, CancellationToken.None);
        Assert.Equal(JsonValueKind.Number, ping.Payload.GetProperty("ts").ValueKind);
        Assert.Equal("ping", ping.Payload.GetProperty("type").GetString());
        Assert.Single(peer.Records, r => r.Kind == "connect");
    }

    [Fact]
    public async Task ServerSilentLongerThanPongTimeout_TheAgentDropsAndReconnects()
    {
        // The server's own engine.io pings are far apart: only the lastPong rule can notice.
        await using var peer = await PeerServer.StartAsync(new PeerOptions { PingInterval = TimeSpan.FromSeconds(120), PingTimeout = TimeSpan.FromSeconds(60) });
        var config = peer.CreateAgentConfig("silence");
        config["statsIntervalSec"] = 3600;
        config["pongTimeoutSec"] = 3;
        config["heartbeatIntervalSec"] = 1;
        await using var agent = await AgentProcess.StartAsync(config);

        await peer.WaitForAsync("connect", null, Waits.Event);
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).Contains("nothing received from the server", StringComparison.Ordinal), Waits.Event);
        await peer.WaitForCountAsync("connect", 2, null, Waits.Reconnect);
    }

    [Fact]
    public async Task ServerStopsAnswering_NoEnginePing_IsDetected_AndTheAgentComesBack()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions { PingInterval = TimeSpan.FromSeconds(1), PingTimeout = TimeSpan.FromSeconds(1) });
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("half-open"));
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);

        await peer.SuspendAsync(); // TCP stays open, nothing answers: a half-open link
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).Contains("no engine.io ping", StringComparison.Ordinal), Waits.Event);
        await peer.ResumeAsync();
        await peer.WaitForCountAsync("connect", 2, null, Waits.Reconnect);
    }
}

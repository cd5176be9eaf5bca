using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

using static Tether.IntegrationTests.Infrastructure.RawHandshake;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// The harness itself: the real peer driven by a hand-written engine.io client that speaks
/// the frames of docs/field-notes.md, so these pass or fail independently of the agent.
/// </summary>
public sealed class PeerServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RawClient_WithValidSignature_IsConnectedGetsHelloAckAndItsEventIsRecorded()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions { Token = "k1" });
        var ts = NowMs();
        var sig = Sign("k1", "agent-raw-1", ts);
        await using var client = await RawEngineIoClient.ConnectAsync(
            RawEngineIoClient.BuildUri(peer.Url, Query("agent-raw-1", ts, sig)));

        var open = await client.ReceiveUntilAsync(m => m.StartsWith('0'), Timeout);
        using (var openJson = JsonDocument.Parse(open[1..]))
        {
            Assert.False(string.IsNullOrEmpty(openJson.RootElement.GetProperty("sid").GetString()));
            Assert.Equal(25000, openJson.RootElement.GetProperty("pingInterval").GetInt32());
            Assert.Equal(1000000, openJson.RootElement.GetProperty("maxPayload").GetInt32());
        }

        await client.SendAsync("40/agents," + AuthJson("agent-raw-1", ts, sig));
        var connected = await client.ReceiveUntilAsync(m => m.StartsWith("4", StringComparison.Ordinal) && m[1] != '2', Timeout);
        Assert.StartsWith("40/agents,{\"sid\":", connected, StringComparison.Ordinal);
        var helloAck = await client.ReceiveUntilAsync(m => m.StartsWith("42/agents,", StringComparison.Ordinal), Timeout);
        var helloArgs = JsonNode.Parse(helloAck["42/agents,".Length..])!.AsArray();
        Assert.Equal("hello_ack", (string?)helloArgs[0]);
        Assert.Equal("agent-raw-1", (string?)helloArgs[1]!["clientId"]);

        await client.SendAsync("""42/agents,["stats",{"type":"stats","t":"stats","data":{"cpu":12.5}}]""");

        var connect = await peer.WaitForAsync("connect", r => r.ClientId == "agent-raw-1", Timeout);
        Assert.Equal(sig, connect.Json.GetProperty("query").GetProperty("sig").GetString());
        Assert.Equal(ts, connect.Json.GetProperty("auth").GetProperty("ts").GetInt64());
        var stats = await peer.WaitForEventAsync("stats", Timeout, r => r.ClientId == "agent-raw-1");
        Assert.Equal(12.5, stats.Payload.GetProperty("data").GetProperty("cpu").GetDouble());
        Assert.Equal("""[{"type":"stats","t":"stats","data":{"cpu":12.5}}]""".Length, stats.Bytes);
        Assert.True(connect.Index < stats.Index);
    }

    [Fact]
    public async Task RawClient_WithWrongSignature_GetsConnectErrorNamingTheReason()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions { Token = "right" });
        var ts = NowMs();
        var sig = Sign("wrong", "agent-bad", ts);
        await using var client = await ConnectEngineAsync(peer, "agent-bad", ts, sig);

        await client.SendAsync("40/agents," + AuthJson("agent-bad", ts, sig));

        var refused = await client.ReceiveUntilAsync(m => m.StartsWith("44/agents,", StringComparison.Ordinal), Timeout);
        Assert.Equal("invalid signature", JsonNode.Parse(refused["44/agents,".Length..])!["message"]!.GetValue<string>());
        var record = await peer.WaitForAsync("connect_error", null, Timeout);
        Assert.Equal("invalid signature", record.Reason);
        Assert.Equal(0, await peer.CountAsync());
    }

    [Fact]
    public async Task RawClient_AnsweringEnginePings_StaysConnected()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions
        {
            PingInterval = TimeSpan.FromMilliseconds(100),
            PingTimeout = TimeSpan.FromSeconds(5),
        });
        await using var client = await HandshakeAsync(peer, "agent-ping");

        for (var i = 0; i < 3; i++)
        {
            await client.ReceiveUntilAsync(m => m == "2", Timeout);
            await client.SendAsync("3");
        }

        await client.SendAsync("""42/agents,["pong",{"ts":1}]""");
        await peer.WaitForEventAsync("pong", Timeout, r => r.ClientId == "agent-ping");
        Assert.Equal(1, await peer.CountAsync());
        Assert.DoesNotContain(peer.Records, r => r.Kind == "disconnect");
    }

    [Fact]
    public async Task Control_EmitEmitRawSendRawAndDisconnect_ReachTheClient()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var client = await HandshakeAsync(peer, "agent-ctl");

        Assert.Equal(1, await peer.EmitAsync("shell_start", new { session = "s1", cols = 100 }));
        var start = await client.ReceiveUntilAsync(m => m.Contains("shell_start", StringComparison.Ordinal), Timeout);
        Assert.Equal("""42/agents,["shell_start",{"session":"s1","cols":100}]""", start);

        Assert.Equal(1, await peer.EmitRawAsync(["admin_run", 42, "x"], clientId: "agent-ctl"));
        Assert.Equal("""42/agents,["admin_run",42,"x"]""", await client.ReceiveUntilAsync(m => m.Contains("admin_run", StringComparison.Ordinal), Timeout));

        Assert.Equal(0, await peer.EmitAsync("ping", new JsonObject { ["ts"] = 5 }, clientId: "someone-else"));

        Assert.Equal(1, await peer.SendRawAsync("2/agents,[broken"));
        Assert.Equal("42/agents,[broken", await client.ReceiveUntilAsync(m => m.Contains("broken", StringComparison.Ordinal), Timeout));

        Assert.Equal(1, await peer.DisconnectClientsAsync("agent-ctl"));
        Assert.Equal("41/agents,", await client.ReceiveUntilAsync(m => m.StartsWith("41", StringComparison.Ordinal), Timeout));
        var disconnect = await peer.WaitForAsync("disconnect", r => r.ClientId == "agent-ctl", Timeout);
        Assert.Equal("server namespace disconnect", disconnect.Reason);
    }

    [Fact]
    public async Task Control_UnknownCommand_IsRefusedAndThePeerKeepsRunning()
    {
        await using var peer = await PeerServer.StartAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => peer.SendControlAsync(new JsonObject { ["cmd"] = "explode" }));
        Assert.Contains("unknown cmd", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => peer.SendControlAsync(new JsonObject { ["cmd"] = "set", ["helloAck"] = "yes" }));

        Assert.Equal(0, await peer.CountAsync());
        Assert.True(peer.IsRunning);
    }

    [Fact]
    public async Task SetHelloAck_False_ConnectsWithoutHelloAck()
    {
        await using var peer = await PeerServer.StartAsync();
        await peer.SetHelloAckAsync(false);
        await using var client = await HandshakeAsync(peer, "agent-quiet", expectHelloAck: false);

        // hello_ack would go out in the connection handler, before anything emitted later.
        await peer.EmitAsync("probe", 1);
        var first = await client.ReceiveUntilAsync(m => m.StartsWith("42", StringComparison.Ordinal), Timeout);
        Assert.Equal("""42/agents,["probe",1]""", first);
        Assert.DoesNotContain(peer.Records, r => r.Kind == "sent" && r.Event == "hello_ack");
    }

    [Fact]
    public async Task WaitForEvents_SeesEarlierRecords_AndFromIndexWaitsForLaterOnes()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var client = await HandshakeAsync(peer, "agent-wait");
        await client.SendAsync("""42/agents,["stats",{"n":1}]""");
        await client.SendAsync("""42/agents,["stats",{"n":2}]""");

        var both = await peer.WaitForEventsAsync("stats", 2, Timeout);
        var first = await peer.WaitForEventAsync("stats", Timeout, CancellationToken.None);
        var next = await peer.WaitForEventAsync("stats", Timeout, match: null, fromIndex: first.Index + 1);

        Assert.Equal(1, first.Payload.GetProperty("n").GetInt32());
        Assert.Equal(2, next.Payload.GetProperty("n").GetInt32());
        Assert.Equal(next.Index, both[1].Index);

        var mark = peer.RecordCount;
        var third = peer.WaitForEventAsync("stats", Timeout, match: null, fromIndex: mark);
        await client.SendAsync("""42/agents,["stats",{"n":3}]""");
        Assert.Equal(3, (await third).Payload.GetProperty("n").GetInt32());

        await Assert.ThrowsAsync<TimeoutException>(
            () => peer.WaitForEventAsync("stats", TimeSpan.FromMilliseconds(200), match: null, fromIndex: peer.RecordCount));
    }

    [Fact]
    public async Task OversizeFrame_IsRefused_AndThePeerRecordsWhy()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions { MaxHttpBufferSize = 1000 });
        await using var client = await HandshakeAsync(peer, "agent-big");

        await client.SendAsync("""42/agents,["shell_output",{"data":""" + "\"" + new string('x', 2000) + "\"}]");

        var disconnect = await peer.WaitForAsync("disconnect", r => r.ClientId == "agent-big", Timeout);
        Assert.Equal("transport error", disconnect.Reason);
        await peer.WaitForAsync("engine_close", r => r.Reason == "transport error", Timeout);
        await DrainUntilClosedAsync(client);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
    }

    [Fact]
    public async Task CreateAgentConfig_PointsAtThePeer()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions { Token = "tok" });

        var config = peer.CreateAgentConfig("agent-9");

        Assert.Equal(peer.Url, (string?)config["serverUrl"]);
        Assert.Equal("tok", (string?)config["authToken"]);
        Assert.Equal("agent-9", (string?)config["clientId"]);
    }
}

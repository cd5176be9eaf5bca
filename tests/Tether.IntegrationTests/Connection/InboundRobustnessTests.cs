using System.Text.Json;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class InboundRobustnessTests
{
    [Fact]
    public async Task MalformedEvents_AreLoggedAndSurvived_OnTheSameConnection()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("robust"));
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);

        await peer.EmitAsync("ping", "not an object");
        await peer.EmitAsync("ping", 42);
        await peer.EmitAsync("ping", null);
        await peer.EmitAsync("ping", new { ts = new { nested = true } });
        await peer.EmitAsync("message", new { nothing = "here" });
        await peer.EmitAsync("message", "text");
        await peer.EmitAsync("no_such_event", new { x = 1 });
        await peer.EmitAsync("hello_ack", "odd");
        await peer.EmitRawAsync(["ping"]);
        await peer.EmitRawAsync(["ping", new { ts = 1 }, "extra", 3]);
        await peer.EmitAsync("ping", new { ts = new string('x', 300_000) }); // big, but under the frame limit
        await peer.SendRawAsync("2/agents,[\"unterminated");
        await peer.SendRawAsync("2/agents,[]");
        await peer.SendRawAsync("2/agents,{\"an\":\"object\"}");

        await peer.EmitAsync("ping", new { ts = 777 });
        await peer.WaitForEventAsync("pong", Waits.Event, r => r.Payload.TryGetProperty("ts", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.GetInt32() == 777);
        Assert.False(agent.HasExited, agent.Describe());
        Assert.Single(peer.Records, r => r.Kind == "connect");
        Assert.DoesNotContain(peer.Records, r => r.Kind == "disconnect");
    }

    [Fact]
    public async Task AFrameAboveMaxHttpBufferSize_IsNeverSent_AndTheConnectionSurvives()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions { MaxHttpBufferSize = 1_000_000 });
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("oversize"));
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);

        // The pong would echo 1.1 MB: above the peer's limit, so it must not go out.
        await peer.EmitAsync("ping", new { ts = new string('y', 1_100_000) });
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).Contains("dropped outbound pong", StringComparison.Ordinal), Waits.Event);

        await peer.EmitAsync("ping", new { ts = 5 });
        await peer.WaitForEventAsync("pong", Waits.Event, r => r.Payload.GetProperty("ts").GetRawText() == "5");
        Assert.Single(peer.Records, r => r.Kind == "connect");
        Assert.DoesNotContain(peer.Records, r => r.Kind == "disconnect");
        Assert.DoesNotContain(peer.Records, r => r.Kind == "event" && r.Event == "pong" && r.Bytes > 1_000_000);
    }
}

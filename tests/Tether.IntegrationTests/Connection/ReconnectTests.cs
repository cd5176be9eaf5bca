using System.Globalization;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class ReconnectTests
{
    [Fact]
    public async Task ServerRestart_OnTheSamePort_TheAgentReconnectsWithAFreshTsAndSig()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("restart"));
        var first = await peer.WaitForAsync("connect", null, Waits.Event);

        await peer.StopAsync();
        await peer.RestartAsync();
        var second = await peer.WaitForAsync("connect", null, Waits.Reconnect, fromIndex: first.Index + 1);
        await peer.WaitForEventAsync("stats", Waits.Event, null, second.Index + 1);

        long ts1 = long.Parse(first.Json.GetProperty("query").GetProperty("ts").GetString()!, CultureInfo.InvariantCulture);
        long ts2 = long.Parse(second.Json.GetProperty("query").GetProperty("ts").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(ts2 > ts1);
        Assert.NotEqual(first.Json.GetProperty("query").GetProperty("sig").GetString(), second.Json.GetProperty("query").GetProperty("sig").GetString());
    }

    [Fact]
    public async Task ServerSideDisconnect_IsRetried_UnlikeSocketIoClient()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("kicked"));
        var first = await peer.WaitForAsync("connect", null, Waits.Event);

        Assert.Equal(1, await peer.DisconnectClientsAsync());
        await peer.WaitForAsync("connect", null, Waits.Reconnect, fromIndex: first.Index + 1);
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).Contains("the server disconnected the agent", StringComparison.Ordinal), Waits.Event);
    }

    [Fact]
    public async Task Backoff_EndToEnd_DoublesWhileTheServerIsDown_AndResetsAfterHelloAck()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("backoff"));
        await peer.WaitForAsync("connect", null, Waits.Event);

        await peer.StopAsync();
        var delays = await WaitForDelaysAsync(agent, 0, 4);
        AssertDelay(1, delays[0]);
        AssertDelay(2, delays[1]);
        AssertDelay(4, delays[2]);
        AssertDelay(8, delays[3]);

        int seen = peer.Records.Count(r => r.Kind == "connect");
        await peer.RestartAsync();
        await peer.WaitForCountAsync("connect", seen + 1, null, Waits.Reconnect);
        await peer.WaitForEventAsync("stats", Waits.Event, null, peer.Records.Last(r => r.Kind == "connect").Index);

        // hello_ack reset the sequence: the next outage starts again at one second.
        int before = ReconnectDelays(agent).Count;
        await peer.StopAsync();
        var after = await WaitForDelaysAsync(agent, before, 1);
        AssertDelay(1, after[0]);
    }

    private static void AssertDelay(double expectedBase, double actual) =>
        Assert.InRange(actual, (expectedBase * 0.5) - 0.05, Math.Min(expectedBase * 1.5, 30) + 0.05);

    private static List<double> ReconnectDelays(AgentProcess agent) =>
        agent.ReadLogRecords()
            .Where(r => HandshakeTests.Message(r).StartsWith("reconnecting in", StringComparison.Ordinal))
            .Select(r => r.GetProperty("fields").GetProperty("DelaySeconds").GetDouble())
            .ToList();

    private static async Task<List<double>> WaitForDelaysAsync(AgentProcess agent, int skip, int count)
    {
        using var cts = new CancellationTokenSource(Waits.Reconnect);
        while (true)
        {
            var delays = ReconnectDelays(agent);
            if (delays.Count >= skip + count)
            {
                return delays.Skip(skip).Take(count).ToList();
            }

            cts.Token.ThrowIfCancellationRequested();
            await Task.Delay(100, cts.Token);
        }
    }
}

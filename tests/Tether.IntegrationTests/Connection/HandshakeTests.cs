using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class HandshakeTests
{
    [Theory]
    [InlineData("plain-agent")]
    [InlineData("quote\"back\\slash")]
    [InlineData("<tag>&amp;")]
    [InlineData("é中😀")]
    public async Task Handshake_SignsLikeNode_ThePeerVerifiesQueryAndAuth(string clientId)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig(clientId));

        var connect = await peer.WaitForAsync("connect", null, Waits.Event);
        Assert.Equal(clientId, connect.ClientId);
        var query = connect.Json.GetProperty("query");
        var auth = connect.Json.GetProperty("auth");
        Assert.Equal(clientId, query.GetProperty("clientId").GetString());
        Assert.Matches("^[0-9a-f]{64}$", query.GetProperty("sig").GetString());
        Assert.Equal(query.GetProperty("sig").GetString(), auth.GetProperty("sig").GetString());
        Assert.Equal(JsonValueKind.Number, auth.GetProperty("ts").ValueKind);
        Assert.Equal(query.GetProperty("ts").GetString(), auth.GetProperty("ts").GetRawText());
        Assert.DoesNotContain(peer.Records, r => r.Kind == "connect_error");
    }

    [Fact]
    public async Task WrongToken_TheRefusalIsLogged_AndTheAgentKeepsRetrying()
    {
        await using var peer = await PeerServer.StartAsync();
        JsonObject config = peer.CreateAgentConfig("wrong-token-agent");
        config["authToken"] = "not-the-token";
        await using var agent = await AgentProcess.StartAsync(config);

        await peer.WaitForCountAsync("connect_error", 2, r => r.Reason == "invalid signature", Waits.Event);
        await agent.WaitForLogAsync(r => Message(r).Contains("refused the agent: invalid signature", StringComparison.Ordinal), Waits.Event);
        Assert.False(agent.HasExited, agent.Describe());

        // The operator fixes the server side: the same agent gets in without a restart.
        await peer.SetTokenAsync("not-the-token");
        await peer.WaitForAsync("connect", null, Waits.Reconnect);
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);
    }

    [Fact]
    public async Task StaleClock_TheRefusalIsLogged_AndRetried()
    {
        await using var peer = await PeerServer.StartAsync(new PeerOptions { MaxSkew = TimeSpan.FromMilliseconds(1) });
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("skewed"));
        await peer.WaitForCountAsync("connect_error", 2, r => r.Reason == "stale timestamp", Waits.Event);
        Assert.False(agent.HasExited, agent.Describe());
    }

    internal static string Message(JsonElement logRecord) =>
        logRecord.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
}

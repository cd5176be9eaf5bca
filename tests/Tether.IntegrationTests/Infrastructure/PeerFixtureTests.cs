using static Tether.IntegrationTests.Infrastructure.RawHandshake;

namespace Tether.IntegrationTests.Infrastructure;

public sealed class PeerFixtureTests(PeerFixture fixture) : IClassFixture<PeerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SharedPeer_IsRunningAndSeparatesClientsById()
    {
        var peer = fixture.Peer;
        await using var a = await HandshakeAsync(peer, "fixture-a");
        await using var b = await HandshakeAsync(peer, "fixture-b");

        await b.SendAsync("""42/agents,["stats",{"from":"b"}]""");
        await a.SendAsync("""42/agents,["stats",{"from":"a"}]""");

        var fromA = await peer.WaitForEventAsync("stats", Timeout, r => r.ClientId == "fixture-a");
        Assert.Equal("a", fromA.Payload.GetProperty("from").GetString());
        Assert.True(peer.IsRunning);
    }
}

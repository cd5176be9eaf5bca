using System.Text.Json.Nodes;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class TlsTests
{
    [Fact]
    public async Task ServerWithItsOwnCa_IsRefusedWithoutCaFile()
    {
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("untrusting"));

        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).StartsWith("connection attempt failed", StringComparison.Ordinal), Waits.Event);
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).StartsWith("reconnecting in", StringComparison.Ordinal), Waits.Event);
        Assert.DoesNotContain(peer.Records, r => r.Kind == "connect");
    }

    [Fact]
    public async Task ServerWithItsOwnCa_IsAcceptedWithCaFile()
    {
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("ca-file");
        config["transport"] = new JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(config);

        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);
        Assert.DoesNotContain(agent.ReadLogRecords(), r => HandshakeTests.Message(r).Contains("verification is OFF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InsecureFlag_AcceptsAnyCertificate_AndWarns()
    {
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = peer.CreateAgentConfig("insecure"), ExtraArgs = ["--insecure"] });

        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);
        var warning = await agent.WaitForLogAsync(r => HandshakeTests.Message(r).Contains("verification is OFF", StringComparison.Ordinal), Waits.Event);
        Assert.Equal("warn", warning.GetProperty("level").GetString());
    }

    [Fact]
    public async Task SkipTlsVerifyInConfig_AcceptsAnyCertificate_AndWarns()
    {
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("skip-verify");
        config["transport"] = new JsonObject { ["skipTlsVerify"] = true };
        await using var agent = await AgentProcess.StartAsync(config);

        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).Contains("verification is OFF", StringComparison.Ordinal), Waits.Event);
    }
}

using System.Net;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class ProxyTests
{
    private const string RemoteName = "dashboard.tether.test";

    [Fact]
    public async Task HttpsProxy_TunnelsByName_WithCredentials_KeepingTlsEndToEnd()
    {
        using var certs = TestCertificates.Create(dnsNames: [RemoteName]);
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        await using var proxy = new ConnectProxy(new Dictionary<string, IPAddress> { [RemoteName] = IPAddress.Loopback }, "proxyuser", "Pr0xy-Pass-99");
        var config = peer.CreateAgentConfig("proxied");
        config["serverUrl"] = $"https://{RemoteName}:{peer.Port}";
        config["transport"] = new System.Text.Json.Nodes.JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = config,
            Environment = new Dictionary<string, string?> { ["HTTPS_PROXY"] = $"http://proxyuser:Pr0xy-Pass-99@127.0.0.1:{proxy.Port}" },
        });

        // The agent cannot resolve the name itself: only the proxy knows it, so connecting at all
        // proves the CONNECT went by name; the certificate names only that host, so TLS ran end
        // to end against it.
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);
        Assert.Contains(proxy.Requests, r => r.Target == $"{RemoteName}:{peer.Port}" && r.Authorized);

        string everything = string.Join('\n', agent.ReadLogLines()) + string.Join('\n', agent.StandardErrorLines);
        Assert.DoesNotContain("Pr0xy-Pass-99", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoProxy_ForTheServersName_ConnectsDirectly()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var proxy = new ConnectProxy(new Dictionary<string, IPAddress>());
        var config = peer.CreateAgentConfig("no-proxy");
        config["serverUrl"] = $"http://localhost:{peer.Port}";
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = config,
            Environment = new Dictionary<string, string?> { ["HTTP_PROXY"] = $"http://127.0.0.1:{proxy.Port}" },
        });

        // localhost is loopback: never proxied.
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task UnreachableProxy_IsRetried_NeverBypassed()
    {
        using var certs = TestCertificates.Create(dnsNames: [RemoteName]);
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        int deadPort;
        await using (var gone = new ConnectProxy(new Dictionary<string, IPAddress>()))
        {
            deadPort = gone.Port;
        }

        var config = peer.CreateAgentConfig("dead-proxy");
        config["serverUrl"] = $"https://{RemoteName}:{peer.Port}";
        config["transport"] = new System.Text.Json.Nodes.JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = config,
            Environment = new Dictionary<string, string?> { ["HTTPS_PROXY"] = $"http://127.0.0.1:{deadPort}" },
        });

        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).StartsWith("reconnecting in", StringComparison.Ordinal), Waits.Event);
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).Contains("(attempt 2)", StringComparison.Ordinal), Waits.Event);
        Assert.DoesNotContain(peer.Records, r => r.Kind == "connect");
    }
}

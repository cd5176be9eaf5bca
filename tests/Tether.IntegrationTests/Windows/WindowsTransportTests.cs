using System.Net;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Commands;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// The Windows agent's outbound rules and output cap under Wine: a server trusted only through
/// <c>transport.caFile</c>, the same server refused without it, an HTTPS proxy by name with
/// credentials, and <c>admin_run</c>'s <c>admin.maxOutputBytes</c>. Under Wine the certificate
/// checks are Schannel over GnuTLS and crypt32's chain engine, the code real Windows runs through.
/// </summary>
/// <remarks>
/// The server is addressed by its DNS name (<c>localhost</c>, or a name only the proxy knows): Wine 8's
/// SSL policy does not match an IP address against the certificate's IP entries and reports a name
/// mismatch for <c>https://127.0.0.1</c>, which real Windows accepts.
/// </remarks>
[Trait("Category", "Windows")]
public sealed class WindowsTransportTests
{
    private const string RemoteName = "dashboard.tether.test";

    [Fact]
    public async Task ServerWithItsOwnCa_IsAcceptedWithCaFile()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("win-ca-file");
        config["serverUrl"] = $"https://localhost:{peer.Port}";
        config["transport"] = new JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(config);

        await peer.WaitForEventAsync("stats", Waits.Reconnect, r => r.ClientId == "win-ca-file");
    }

    [Fact]
    public async Task ServerWithItsOwnCa_IsRefusedWithoutCaFile_AndRetried()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("win-untrusting");
        config["serverUrl"] = $"https://localhost:{peer.Port}";
        await using var agent = await AgentProcess.StartAsync(config);

        var failed = await agent.WaitForLogAsync(r => HandshakeTests.Message(r).StartsWith("connection attempt failed", StringComparison.Ordinal), Waits.Reconnect);
        Assert.Contains("certificate not trusted", HandshakeTests.Message(failed), StringComparison.Ordinal);
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).Contains("(attempt 2)", StringComparison.Ordinal), Waits.Reconnect);
        Assert.DoesNotContain(peer.Records, r => r.Kind == "connect");
    }

    [Fact]
    public async Task HttpsProxy_TunnelsByName_WithCredentials_KeepingTlsEndToEnd()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var certs = TestCertificates.Create(dnsNames: [RemoteName]);
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        await using var proxy = new ConnectProxy(new Dictionary<string, IPAddress> { [RemoteName] = IPAddress.Loopback }, "proxyuser", "Pr0xy-Pass-99");
        var config = peer.CreateAgentConfig("win-proxied");
        config["serverUrl"] = $"https://{RemoteName}:{peer.Port}";
        config["transport"] = new JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = config,
            Environment = new Dictionary<string, string?> { ["HTTPS_PROXY"] = $"http://proxyuser:Pr0xy-Pass-99@127.0.0.1:{proxy.Port}" },
        });

        // Only the proxy knows the name, and the certificate names only it: connecting at all
        // proves the CONNECT went by name and TLS ran end to end through the tunnel.
        await peer.WaitForEventAsync("stats", Waits.Reconnect, r => r.ClientId == "win-proxied");
        Assert.Contains(proxy.Requests, r => r.Target == $"{RemoteName}:{peer.Port}" && r.Authorized);
        string everything = string.Join('\n', agent.ReadLogLines()) + string.Join('\n', agent.StandardErrorLines);
        Assert.DoesNotContain("Pr0xy-Pass-99", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminRun_OutputBeyondTheCap_IsCutAndMarkedTruncated()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var dir = new TempDirectory("tether-winbig-");
        string big = dir.Join("big.txt");
        await File.WriteAllTextAsync(big, new string('x', 300_000));
        await using var peer = await PeerServer.StartAsync();
        var config = AdminRun.Config(peer, "win-cap", "cmd");
        config["admin"]!["maxOutputBytes"] = 65536;
        await using var agent = await AgentProcess.StartAsync(config);
        await AdminRun.ReadyAsync(peer, "win-cap");

        // Single quotes: admin_run splits with POSIX quoting, where a bare backslash escapes.
        var run = await AdminRun.RunAsync(peer, "win-cap", "c1", $"cmd /c type 'Z:{big.Replace('/', '\\')}'", timeout: Waits.Reconnect);
        Assert.True(AdminRun.Code(run) == 0, AdminRun.Stderr(run));
        Assert.True(AdminRun.Truncated(run));
        string stdout = AdminRun.Stdout(run);
        Assert.InRange(stdout.Length, 60_000, 65536);
        Assert.All(stdout, c => Assert.Equal('x', c));

        var small = await AdminRun.RunAsync(peer, "win-cap", "c2", "cmd /c echo small");
        Assert.False(AdminRun.Truncated(small));
        Assert.Equal("small\r\n", AdminRun.Stdout(small));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Commands;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// The Windows agent's outbound rules under Wine: a server trusted through <c>transport.caFile</c>,
/// a CONNECT proxy, and <c>admin_run</c>'s output cap. Wine's TLS is Schannel over GnuTLS and its
/// chain engine crypt32; the agent's own parts (the proxy exchange, the caps) are the same code
/// as on Linux.
/// </summary>
[Trait("Category", "Windows")]
public sealed class WindowsTransportTests
{
    [Fact]
    public async Task ServerWithItsOwnCa_IsAcceptedWithCaFile()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("win-ca-file");
        config["transport"] = new JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(config);

        await peer.WaitForEventAsync("stats", Waits.Reconnect, r => r.ClientId == "win-ca-file");
    }

    [Fact]
    public async Task TmpSkipVerify()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("win-skip");
        config["transport"] = new JsonObject { ["skipTlsVerify"] = true };
        await using var agent = await AgentProcess.StartAsync(config);

        await peer.WaitForEventAsync("stats", Waits.Reconnect, r => r.ClientId == "win-skip");
    }

    [Fact]
    public async Task TmpNoCaFile()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("win-noca");
        await using var agent = await AgentProcess.StartAsync(config);

        await agent.WaitForLogAsync(r => r.GetProperty("message").GetString()!.StartsWith("connection attempt failed", StringComparison.Ordinal), Waits.Reconnect);
    }
}

using System.Net.WebSockets;

using static Tether.IntegrationTests.Infrastructure.RawHandshake;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>The peer over TLS with <see cref="TestCertificates"/>.</summary>
public sealed class PeerServerTlsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Tls_ClientTrustingTheTestCa_Connects()
    {
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        Assert.StartsWith("https://127.0.0.1:", peer.Url, StringComparison.Ordinal);

        await using var client = await HandshakeAsync(peer, "agent-tls", validate: certs.CreateValidationCallback());

        var connect = await peer.WaitForAsync("connect", r => r.ClientId == "agent-tls", Timeout);
        Assert.True(connect.Json.GetProperty("secure").GetBoolean());
        Assert.Contains("BEGIN CERTIFICATE", await File.ReadAllTextAsync(certs.CaPemPath), StringComparison.Ordinal);
        Assert.Contains("BEGIN PRIVATE KEY", await File.ReadAllTextAsync(certs.ServerKeyPemPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_ClientWithoutTheTestCa_IsRejected()
    {
        using var certs = TestCertificates.Create();
        using var other = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var uri = RawEngineIoClient.BuildUri(peer.Url, Query("agent-x", NowMs(), "00"));

        await Assert.ThrowsAsync<WebSocketException>(() => RawEngineIoClient.ConnectAsync(uri));
        await Assert.ThrowsAsync<WebSocketException>(() => RawEngineIoClient.ConnectAsync(uri, other.CreateValidationCallback()));
    }

    [Fact]
    public void TestCertificates_Dispose_DeletesTheFolder()
    {
        var certs = TestCertificates.Create();
        Assert.True(File.Exists(certs.ServerCertPemPath));

        certs.Dispose();

        Assert.False(Directory.Exists(certs.Directory));
    }
}

using System.Net;
using System.Net.Sockets;
using Tether.Transport;

namespace Tether.Tests.Transport;

/// <summary>
/// A name with an IPv6 and an IPv4 address, only one of them listening, on real loopback
/// sockets; only the resolver is given (this machine's /etc/hosts may not list ::1 for localhost).
/// </summary>
public sealed class OutboundConnectionDualStackTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task OpenAsync_Ipv6RefusedIpv4Listening_ConnectsWithOneConnectionToIpv4()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var outbound = Resolving(IPAddress.IPv6Loopback, IPAddress.Loopback);

            for (int attempt = 0; attempt < 3; attempt++)
            {
                using var cts = new CancellationTokenSource(Deadline);
                await using var stream = await outbound.OpenAsync(new Uri($"http://dual.test:{port}/"), cts.Token);
                using var accepted = await listener.AcceptTcpClientAsync(cts.Token);
                Assert.Equal(IPAddress.Loopback, ((IPEndPoint)accepted.Client.RemoteEndPoint!).Address);
            }

            Assert.False(listener.Pending(), "an attempt reached the listener twice");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task OpenAsync_Ipv6ListeningIpv4Refused_UsesTheFirstAddressOnly()
    {
        var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var cts = new CancellationTokenSource(Deadline);

            await using var stream = await Resolving(IPAddress.IPv6Loopback, IPAddress.Loopback).OpenAsync(new Uri($"http://dual.test:{port}/"), cts.Token);
            using var accepted = await listener.AcceptTcpClientAsync(cts.Token);

            Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)accepted.Client.RemoteEndPoint!).Address);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task OpenAsync_NeitherListening_FailsOnce_NamingEachAddressItTried()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        int resolved = 0;
        var outbound = new OutboundConnection(null, false, static _ => null, TimeSpan.FromSeconds(5), (_, _) =>
        {
            Interlocked.Increment(ref resolved);
            return Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback });
        });
        using var cts = new CancellationTokenSource(Deadline);

        var ex = await Assert.ThrowsAsync<ConnectFailedException>(() => outbound.OpenAsync(new Uri($"http://dual.test:{port}/"), cts.Token));

        Assert.StartsWith($"TCP: cannot reach the server dual.test:{port} (::1: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("; 127.0.0.1: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, resolved);
    }

    private static OutboundConnection Resolving(params IPAddress[] addresses) =>
        new(null, false, static _ => null, TimeSpan.FromSeconds(5), (_, _) => Task.FromResult(addresses));
}

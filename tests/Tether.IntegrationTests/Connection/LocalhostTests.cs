using System.Net;
using System.Net.Sockets;
using Tether.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tether.IntegrationTests.Connection;

/// <summary>
/// serverUrl with <c>localhost</c> (docs/protocol.md §2): the agent resolves the name and tries
/// each address once, in the resolver's order, within one attempt. Where the resolver returns
/// ::1 and 127.0.0.1 and only 127.0.0.1 listens, the refused ::1 (if tried first) is part of
/// the attempt, never an attempt of its own.
/// </summary>
/// <remarks>
/// Some machines (containers in particular, whose /etc/hosts has only <c>127.0.0.1 localhost</c>)
/// resolve localhost to 127.0.0.1 alone. There these tests still prove that a name is resolved
/// and that one attempt is one connection, but not the refused-::1 path; the output says which
/// case ran.
/// </remarks>
public sealed class LocalhostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LocalhostServerUrl_PeerOnIpv4Only_ConnectsOnTheFirstAttempt_AndGetsHelloAck()
    {
        var addresses = await ResolveLocalhostAsync();
        await using var peer = await PeerServer.StartAsync(new PeerOptions { Host = "127.0.0.1" });
        AssertNothingListensOnIpv6Loopback(addresses, peer.Port);
        var config = peer.CreateAgentConfig("wire-localhost");
        config["serverUrl"] = $"http://localhost:{peer.Port}";
        await using var agent = await AgentProcess.StartAsync(config);

        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "wire-localhost");
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).StartsWith("hello_ack received", StringComparison.Ordinal), Waits.Event);

        var connecting = agent.ReadLogRecords().Where(r => HandshakeTests.Message(r).StartsWith("connecting to ", StringComparison.Ordinal)).ToList();
        var only = Assert.Single(connecting);
        Assert.Equal(1, only.GetProperty("fields").GetProperty("Attempt").GetInt32());
        Assert.DoesNotContain(agent.ReadLogRecords(), r => HandshakeTests.Message(r).StartsWith("connection attempt failed", StringComparison.Ordinal));
        Assert.Single(peer.Records, r => r.Kind == "connect");
    }

    [Fact]
    public async Task LocalhostServerUrl_ListenerOnIpv4Only_EachAttemptIsExactlyOneConnectionToIt()
    {
        var addresses = await ResolveLocalhostAsync();
        await using var listener = new AttemptListener(AttemptBehaviour.CloseAfterRequestLine, IPAddress.Loopback);
        AssertNothingListensOnIpv6Loopback(addresses, listener.Port);

        var seen = await AttemptObservation.RunAsync(listener, $"http://localhost:{listener.Port}", "wire-localhost-close", 3, TimeSpan.FromSeconds(90));
        output.WriteLine(seen.Summary());

        // A failure in the upgrade phase: TCP reached 127.0.0.1 in the same attempt, whatever came first.
        seen.AssertOneRequestPerAttempt(3, "wire-localhost-close", $"localhost:{listener.Port}", "upgrade: the server closed the connection without answering");
        seen.AssertBackoffWithJitter(3);
        Assert.All(seen.Connections, c => Assert.Equal(IPAddress.Loopback, c.Remote.Address));
    }

    private async Task<IPAddress[]> ResolveLocalhostAsync()
    {
        // The agent resolves with the same runtime call on the same machine.
        var addresses = await Dns.GetHostAddressesAsync("localhost");
        bool both = addresses.Contains(IPAddress.IPv6Loopback) && addresses.Contains(IPAddress.Loopback);
        output.WriteLine($"localhost resolves to [{string.Join(", ", addresses.Select(a => a.ToString()))}]: "
            + (both ? "::1 and 127.0.0.1, the refused-::1 path runs" : "not both loopbacks, the refused-::1 path cannot run here"));
        Assert.Contains(IPAddress.Loopback, addresses);
        return addresses;
    }

    private static void AssertNothingListensOnIpv6Loopback(IPAddress[] addresses, int port)
    {
        if (!addresses.Contains(IPAddress.IPv6Loopback))
        {
            return;
        }

        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        var refused = Assert.Throws<SocketException>(() => socket.Connect(new IPEndPoint(IPAddress.IPv6Loopback, port)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Tether.Platform.Network;
using Tether.Tests.Infrastructure;

namespace Tether.Tests.Platform.Network;

/// <summary>
/// What the latency probe relies on from <see cref="ITcpConnectStarter"/>, run against connect(2)
/// itself and against the portable <see cref="Socket.Connect(EndPoint)"/> one.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TcpConnectStarterContractTests
{
    public static TheoryData<string, string> ImplementationsAndLoopbacks() => new()
    {
        { "unix", "127.0.0.1" },
        { "unix", "::1" },
        { "portable", "127.0.0.1" },
        { "portable", "::1" },
    };

    [Theory]
    [MemberData(nameof(ImplementationsAndLoopbacks))]
    public void AListeningPort_IsConnected_AndTheListenerSeesThePeer(string name, string loopback)
    {
        var address = IPAddress.Parse(loopback);
        using var listener = TryListen(address);
        if (listener is null)
        {
            Assert.Equal("::1", loopback); // a host without IPv6 has no ::1 to listen on; IPv4 must work
            return;
        }

        using var socket = NonBlocking(address);
        var start = Create(name).Start(socket, (IPEndPoint)listener.LocalEndPoint!);

        Assert.NotEqual(TcpConnectStart.Failed, start);
        Assert.True(socket.Poll(5_000_000, SelectMode.SelectWrite), "the connect never ended");
        Assert.Equal(0, socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error));
        listener.Blocking = true;
        using var accepted = listener.Accept();

        // The address went out in the OS's own layout: what the accepted end writes reaches this socket.
        accepted.Send("x"u8);
        Assert.True(socket.Poll(5_000_000, SelectMode.SelectRead), "the accepted connection is not this socket's");
    }

    [Theory]
    [InlineData("unix")]
    [InlineData("portable")]
    public void AClosedPort_Fails_AtOnceOrOnceItEnds(string name)
    {
        int port;
        using (var listener = TryListen(IPAddress.Loopback)!)
        {
            port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        }

        using var socket = NonBlocking(IPAddress.Loopback);
        var start = Create(name).Start(socket, new IPEndPoint(IPAddress.Loopback, port));

        Assert.NotEqual(TcpConnectStart.Connected, start);
        if (start == TcpConnectStart.InProgress)
        {
            Assert.True(socket.Poll(5_000_000, SelectMode.SelectWrite) || socket.Poll(0, SelectMode.SelectError));
            Assert.Equal((int)SocketError.ConnectionRefused, socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error));
        }
    }

    /// <summary>The point of the Unix starter: a connect under way costs no exception (one per stats sample).</summary>
    [Fact]
    public void UnixStart_OfAConnectUnderWay_ThrowsNothing()
    {
        using var listener = TryListen(IPAddress.Loopback)!;
        using var socket = NonBlocking(IPAddress.Loopback);
        int thrown = FirstChanceExceptions.CountOnThisThread(() => Create("unix").Start(socket, (IPEndPoint)listener.LocalEndPoint!));

        Assert.Equal(0, thrown);
    }

    private static ITcpConnectStarter Create(string name) => name switch
    {
        "unix" => new UnixTcpConnectStarter(),
        _ => new PortableTcpConnectStarter(),
    };

    private static Socket NonBlocking(IPAddress address) =>
        new(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };

    private static Socket? TryListen(IPAddress address)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, 0));
            listener.Listen(4);
            return listener;
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Tether.Platform.Network;

/// <summary>
/// <see cref="Socket.Connect(EndPoint)"/> on the non-blocking socket, reading "under way" from the
/// exception it throws (Windows, where the stats loop is not the cost it is on a Pi).
/// </summary>
internal sealed class PortableTcpConnectStarter : ITcpConnectStarter
{
    public TcpConnectStart Start(Socket socket, IPEndPoint endpoint)
    {
        try
        {
            socket.Connect(endpoint);
            return TcpConnectStart.Connected;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            return TcpConnectStart.InProgress;
        }
        catch (SocketException)
        {
            return TcpConnectStart.Failed;
        }
    }
}

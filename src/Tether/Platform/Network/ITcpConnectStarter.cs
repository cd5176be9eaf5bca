using System.Net;
using System.Net.Sockets;

namespace Tether.Platform.Network;

/// <summary>
/// Starts a TCP connect on a non-blocking <see cref="Socket"/> and says how that first step
/// ended, without the exception <see cref="Socket.Connect(EndPoint)"/> throws for a connect
/// that is under way (an exception per stats sample, bench/RESULTS.md, issue 13).
/// </summary>
/// <remarks>Implementations hold no state; thread-safe.</remarks>
internal interface ITcpConnectStarter
{
    TcpConnectStart Start(Socket socket, IPEndPoint endpoint);
}

using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.Network;

/// <summary>
/// connect(2) on the socket's descriptor with the endpoint's native address
/// (<see cref="SocketAddress.Buffer"/> holds the OS's own <c>struct sockaddr</c>): the errno says
/// "under way", where <see cref="Socket.Connect(EndPoint)"/> builds and throws an exception for it.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed class UnixTcpConnectStarter : ITcpConnectStarter
{
    public unsafe TcpConnectStart Start(Socket socket, IPEndPoint endpoint)
    {
        SocketAddress address = endpoint.Serialize();
        int rc;
        fixed (byte* native = address.Buffer.Span)
        {
            rc = Interop.Libc.Connect(socket.SafeHandle, native, (uint)address.Size);
        }

        if (rc == 0)
        {
            return TcpConnectStart.Connected;
        }

        // EINTR: the connect goes on in the background (POSIX), as after EINPROGRESS.
        int errno = Marshal.GetLastPInvokeError();
        var platform = UnixPlatform.Current;
        return errno == platform.EInProgress || errno == platform.EIntr ? TcpConnectStart.InProgress : TcpConnectStart.Failed;
    }
}

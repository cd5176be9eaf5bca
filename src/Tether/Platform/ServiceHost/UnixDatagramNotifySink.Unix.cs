using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Text;

namespace Tether.Platform.ServiceHost;

/// <summary>
/// sd_notify's transport: one AF_UNIX SOCK_DGRAM socket, each message sent with the address
/// (not connected), so a socket systemd re-creates (daemon-reexec) is still reached.
/// </summary>
/// <remarks>
/// Non-blocking: the connection loop raises the events that send, and a manager that does not
/// read its queue must not stall it; such a message is dropped and reported. Thread-safe: each
/// send is one <c>sendto</c>.
/// </remarks>
internal sealed class UnixDatagramNotifySink : INotifySink
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;

    /// <param name="socketPath">A path, or an abstract name with its leading NUL (see <see cref="NotifySocketAddress"/>).</param>
    public UnixDatagramNotifySink(string socketPath)
    {
        _endpoint = new UnixDomainSocketEndPoint(socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
    }

    public bool TrySend(string message, [NotNullWhen(false)] out string? error)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), SocketFlags.None, _endpoint);
            error = null;
            return true;
        }
        catch (SocketException ex)
        {
            error = $"{ex.SocketErrorCode}: {ex.Message}";
            return false;
        }
        catch (ObjectDisposedException)
        {
            error = "the notification socket is closed";
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}

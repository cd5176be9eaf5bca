using System.Net;
using System.Net.Sockets;
using Tether.Platform.Network;

namespace Tether.Telemetry;

/// <summary>
/// Measures <c>netLatencyMs</c> (docs/protocol.md §3): how long a TCP connect to the server takes. Name
/// resolution happens before the clock starts, so a slow resolver does not read as a slow link.
/// Behind a proxy the caller passes the proxy's host and port: that is the first hop (§2).
/// </summary>
/// <remarks>
/// Synchronous on purpose: the stats thread calls it, and a non-blocking connect finished by
/// <c>poll(2)</c> on that thread wakes nothing else, where an asynchronous connect would wake the
/// socket engine's thread and a thread-pool worker for every sample (bench/RESULTS.md, issue 13).
/// The connect is started through <see cref="ITcpConnectStarter"/>, which on Unix reads "under way"
/// from errno instead of from the exception <see cref="Socket.Connect(EndPoint)"/> throws for it.
/// Thread-safe: it holds no state between calls.
/// </remarks>
internal sealed class LatencyProbe
{
    /// <summary>Longest single <c>poll(2)</c>: a cancellation is seen within this time.</summary>
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time;
    private readonly ITcpConnectStarter _starter;

    public LatencyProbe(TimeProvider time, ITcpConnectStarter? starter = null)
    {
        _time = time;
        _starter = starter ?? TcpConnectStarters.Current;
    }

    /// <summary>
    /// Connect time in milliseconds (rounded to 0.1), or <see langword="null"/> when the name does
    /// not resolve, no address accepts, or <paramref name="timeout"/> (resolution included) runs out.
    /// Cancelling <paramref name="ct"/> throws <see cref="OperationCanceledException"/> as usual.
    /// </summary>
    public double? Measure(string host, int port, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, IPEndPoint.MinPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ct.ThrowIfCancellationRequested();
        if (timeout <= TimeSpan.Zero)
        {
            // No time at all: a loopback connect could still win the race against the clock.
            return null;
        }

        long begin = _time.GetTimestamp();
        IPAddress[]? addresses = IPAddress.TryParse(host, out var literal) ? [literal] : Resolve(host, timeout, ct);

        // One socket per address: on Unix a socket is unusable after a failed connect.
        foreach (var address in addresses ?? [])
        {
            TimeSpan left = timeout - _time.GetElapsedTime(begin);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            long start = _time.GetTimestamp();
            if (Connect(socket, new IPEndPoint(address, port), left, ct))
            {
                return Math.Round(_time.GetElapsedTime(start).TotalMilliseconds, 1, MidpointRounding.AwayFromZero);
            }
        }

        return null;
    }

    /// <summary>The addresses of <paramref name="host"/>, or null when it does not resolve within <paramref name="timeout"/>.</summary>
    private static IPAddress[]? Resolve(string host, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            return Dns.GetHostAddressesAsync(host, limit.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>True once the connect succeeded; false when it was refused or <paramref name="limit"/> ran out.</summary>
    private bool Connect(Socket socket, IPEndPoint endpoint, TimeSpan limit, CancellationToken ct)
    {
        switch (_starter.Start(socket, endpoint))
        {
            case TcpConnectStart.Connected:
                return true;
            case TcpConnectStart.Failed:
                return false;
        }

        // Under way: poll(2) says when it ends.

        long start = _time.GetTimestamp();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            TimeSpan left = limit - _time.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            TimeSpan slice = left < PollSlice ? left : PollSlice;
            if (socket.Poll((int)Math.Max(1, slice.Ticks / TimeSpan.TicksPerMicrosecond), SelectMode.SelectWrite)
                || socket.Poll(0, SelectMode.SelectError))
            {
                // Writable or in error: the connect ended, and SO_ERROR says how.
                return socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error) is 0;
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Tether.Telemetry;

/// <summary>
/// Measures <c>netLatencyMs</c> (docs/protocol.md §3): how long a TCP connect to the server takes. Name
/// resolution happens before the clock starts, so a slow resolver does not read as a slow link.
/// Behind a proxy the caller passes the proxy's host and port: that is the first hop (§2).
/// </summary>
/// <remarks>Thread-safe: it holds no state between calls.</remarks>
internal sealed class LatencyProbe
{
    private readonly TimeProvider _time;

    public LatencyProbe(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>
    /// Connect time in milliseconds (rounded to 0.1), or <see langword="null"/> when the name does
    /// not resolve, no address accepts, or <paramref name="timeout"/> (resolution included) runs out.
    /// Cancelling <paramref name="ct"/> throws <see cref="OperationCanceledException"/> as usual.
    /// </summary>
    public async Task<double?> MeasureAsync(string host, int port, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, IPEndPoint.MinPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (timeout <= TimeSpan.Zero)
        {
            // No time at all: a loopback connect could still win the race against the timer.
            return null;
        }

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        try
        {
            IPAddress[] addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, timeoutCts.Token);

            // One socket per address: on Unix a socket is unusable after a failed connect.
            foreach (var address in addresses)
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                long start = _time.GetTimestamp();
                try
                {
                    await socket.ConnectAsync(address, port, timeoutCts.Token);
                }
                catch (SocketException)
                {
                    continue;
                }

                return Math.Round(_time.GetElapsedTime(start).TotalMilliseconds, 1, MidpointRounding.AwayFromZero);
            }

            return null;
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
}

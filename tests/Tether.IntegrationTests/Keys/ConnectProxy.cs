using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tether.IntegrationTests.Keys;

/// <summary>
/// A minimal HTTP CONNECT proxy on 127.0.0.1 that records each CONNECT target and connects every
/// tunnel to 127.0.0.1 on the requested port, so a test can use a made-up host name (TLS stays
/// end to end and checks that name) without leaving loopback.
/// </summary>
internal sealed class ConnectProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _tunnels = [];
    private readonly ConcurrentQueue<string> _targets = new();
    private readonly Task _acceptLoop;

    public ConnectProxy()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The <c>host:port</c> of every CONNECT request, in order.</summary>
    public IReadOnlyCollection<string> Targets => [.. _targets];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(_tunnels).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _tunnels.Add(TunnelAsync(client));
        }
    }

    private async Task TunnelAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, _stop.Token);
                var parts = head?.Split(' ');
                if (parts is not { Length: >= 2 } || parts[0] != "CONNECT")
                {
                    await stream.WriteAsync("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                    return;
                }

                _targets.Enqueue(parts[1]);
                var port = int.Parse(parts[1][(parts[1].LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                await stream.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = stream.CopyToAsync(upstream.GetStream(), done.Token);
                var down = upstream.GetStream().CopyToAsync(stream, done.Token);
                await Task.WhenAny(up, down);
                await done.CancelAsync();
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException or FormatException)
            {
            }
        }
    }

    // The request line of a head ending with an empty line; null when the client went away.
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n')
            {
                var text = Encoding.ASCII.GetString([.. bytes]);
                return text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
            }
        }

        return null;
    }
}

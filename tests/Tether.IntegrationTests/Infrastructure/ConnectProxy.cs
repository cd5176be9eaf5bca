using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// A minimal HTTP CONNECT proxy on loopback for tests: records each CONNECT target, can demand
/// Basic credentials (407 first, as real proxies do), resolves names through a test map (so the
/// agent can reach a "remote" name that only the proxy knows) and relays bytes both ways.
/// </summary>
public sealed class ConnectProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly IReadOnlyDictionary<string, IPAddress> _hosts;
    private readonly string? _expectedAuthorization;
    private readonly Task _acceptLoop;
    private readonly ConcurrentBag<Task> _connections = [];

    public ConnectProxy(IReadOnlyDictionary<string, IPAddress> hosts, string? user = null, string? password = null)
    {
        _hosts = hosts;
        _expectedAuthorization = user is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The proxy's address for an <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c> variable (no credentials).</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The CONNECT targets seen so far.</summary>
    public IReadOnlyCollection<string> Targets => [.. Requests.Select(r => r.Target)];

    /// <summary>Every CONNECT request line's target, in arrival order, with whether it carried the right credentials.</summary>
    public ConcurrentQueue<(string Target, bool Authorized)> Requests { get; } = new();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _connections.Add(HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string head = await ReadHeadAsync(stream);
                string[] lines = head.Split("\r\n");
                string[] request = lines[0].Split(' ');
                if (request.Length < 2 || request[0] != "CONNECT")
                {
                    await WriteAsync(stream, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
                    return;
                }

                string target = request[1];
                bool authorized = _expectedAuthorization is null || lines.Any(l => l.Equals("Proxy-Authorization: " + _expectedAuthorization, StringComparison.OrdinalIgnoreCase));
                Requests.Enqueue((target, authorized));
                if (!authorized)
                {
                    await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }

                int colon = target.LastIndexOf(':');
                string host = target[..colon].Trim('[', ']');
                int port = int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                if (!_hosts.TryGetValue(host, out var address))
                {
                    await WriteAsync(stream, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                    return;
                }

                using var upstream = new TcpClient();
                await upstream.ConnectAsync(address, port, _stop.Token);
                await WriteAsync(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
                var up = upstream.GetStream();
                await Task.WhenAny(stream.CopyToAsync(up, _stop.Token), up.CopyToAsync(stream, _stop.Token));
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16384)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                break;
            }

            bytes.Add(one[0]);
            int n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections.ToArray());
        _stop.Dispose();
    }
}

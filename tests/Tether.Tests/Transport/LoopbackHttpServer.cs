using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tether.Tests.Transport;

/// <summary>
/// A raw TCP server on 127.0.0.1 that reads one request head per connection, records it, and
/// answers with what the test's function returns (bytes, then close). Stops on dispose.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, int, byte[]> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _requests = [];

    public LoopbackHttpServer(Func<string, int, byte[]> answer)
    {
        _answer = answer;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url(string path = "/") => new($"http://127.0.0.1:{Port}{path}");

    /// <summary>The request heads received so far, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static byte[] Text(string response) => Encoding.Latin1.GetBytes(response);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            string head = await ReadHeadAsync(stream);
            int index;
            lock (_requests)
            {
                _requests.Add(head);
                index = _requests.Count - 1;
            }

            await stream.WriteAsync(_answer(head, index), _stop.Token);
        }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (!Encoding.Latin1.GetString(bytes.ToArray()).EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                break;
            }

            bytes.Add(one[0]);
        }

        return Encoding.Latin1.GetString(bytes.ToArray());
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>How an <see cref="AttemptListener"/> treats every connection it accepts.</summary>
public enum AttemptBehaviour
{
    /// <summary>Closes its side (FIN) as soon as the request line has arrived, without a byte of answer.</summary>
    CloseAfterRequestLine,

    /// <summary>Answers <c>HTTP/1.1 502 Bad Gateway</c> with a short text body once the request head is in, then closes its side.</summary>
    BadGateway,

    /// <summary>Answers <c>101 Switching Protocols</c> with the right Upgrade/Connection headers but a Sec-WebSocket-Accept for another key.</summary>
    WrongAccept,

    /// <summary>Reads the request and never answers.</summary>
    NeverAnswer,
}

/// <summary>
/// A raw TCP listener on one loopback address that plays a broken server and records, per
/// connection, every byte the client sent until the client closed, so a test can count the
/// request lines each connection carried and the connections each attempt cost.
/// </summary>
/// <remarks>
/// Thread-safe. After answering (or closing its side), every connection is read until the
/// client closes it: nothing the client sends afterwards is missed. Times are monotonic, from
/// the listener's start. Accepting and reading run on threads of their own with blocking calls,
/// never on the thread pool: a test host whose pool is busy with other tests would otherwise
/// stamp an accept or a close hundreds of milliseconds late, and the backoff checks compare those
/// stamps. <see cref="DisposeAsync"/> stops accepting and aborts open connections.
/// </remarks>
public sealed class AttemptListener : IAsyncDisposable
{
    /// <summary>The body of the 502 answer; a test finds it again in the agent's log.</summary>
    public const string BadGatewayBody = "no healthy upstream for /socket.io";

    /// <summary>The RFC 6455 sample key: its accept value is right for no key the agent draws.</summary>
    public const string ForeignKey = "dGhlIHNhbXBsZSBub25jZQ==";

    private const int MaxRecordedBytes = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly AttemptBehaviour _behaviour;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly WaitableLog<AttemptConnection> _completed = new();
    private readonly ConcurrentDictionary<int, Thread> _handlers = new();
    private readonly ConcurrentDictionary<int, Socket> _open = new();
    private readonly ConcurrentDictionary<IPEndPoint, TaskCompletionSource> _probes = new();
    private readonly Thread _acceptLoop;
    private int _accepted;

    public AttemptListener(AttemptBehaviour behaviour, IPAddress? address = null, int port = 0)
    {
        _behaviour = behaviour;
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        _listener.Start();
        _acceptLoop = new Thread(AcceptLoop) { IsBackground = true, Name = "attempt-accept" };
        _acceptLoop.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Port => EndPoint.Port;

    /// <summary>Connections accepted from clients so far (probes excluded).</summary>
    public int AcceptedCount => Volatile.Read(ref _accepted);

    /// <summary>Connections the client has closed, in the order they ended.</summary>
    public IReadOnlyList<AttemptConnection> Completed => _completed.Snapshot();

    /// <summary>Waits until <paramref name="count"/> connections have been closed by the client; returns them in accept order.</summary>
    public async Task<IReadOnlyList<AttemptConnection>> WaitForCompletedAsync(int count, TimeSpan timeout)
    {
        var done = await _completed.WaitAsync(_ => true, count, 0, timeout, () => $"{count} connections closed by the client. {Describe()}", CancellationToken.None);
        return [.. done.OrderBy(c => c.Index)];
    }

    /// <summary>
    /// Returns once every connection that reached the listen queue before this call has been
    /// accepted: a connection of our own is queued behind them and accepted in order.
    /// </summary>
    public async Task DrainAcceptQueueAsync(TimeSpan timeout)
    {
        using var probe = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // Bound (and known) before it connects, so the accept loop cannot take it for a client.
        probe.Bind(new IPEndPoint(EndPoint.Address, 0));
        var seen = _probes.GetOrAdd((IPEndPoint)probe.LocalEndPoint!, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await probe.ConnectAsync(EndPoint);
        try
        {
            await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The listener did not accept its own probe within {timeout.TotalSeconds:0.#} s. {Describe()}");
        }
    }

    /// <summary>What the listener saw, for failure messages.</summary>
    public string Describe()
    {
        var nl = Environment.NewLine;
        var lines = Completed.OrderBy(c => c.Index).Select(c =>
            $"  #{c.Index} from {c.Remote} accepted {c.AcceptedAt.TotalMilliseconds:0} ms, closed {c.ClosedAt.TotalMilliseconds:0} ms, {c.RequestLines.Count} request line(s): {string.Join(" | ", c.RequestLines.Select(Redact))}");
        return $"AttemptListener {_behaviour} on {EndPoint}: {AcceptedCount} accepted, {_completed.Count} closed by the client.{nl}{string.Join(nl, lines)}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        await Task.Run(_acceptLoop.Join);
        foreach (var socket in _open.Values)
        {
            socket.Close();
        }

        await Task.Run(() =>
        {
            foreach (var handler in _handlers.Values)
            {
                handler.Join();
            }
        });
        _stop.Dispose();
    }

    // The signature is a credential: failure messages show only its length.
    private static string Redact(string requestLine)
    {
        int at = requestLine.IndexOf("sig=", StringComparison.Ordinal);
        if (at < 0)
        {
            return requestLine;
        }

        int end = requestLine.IndexOfAny(['&', ' '], at);
        end = end < 0 ? requestLine.Length : end;
        return requestLine[..(at + 4)] + $"<{end - at - 4} chars>" + requestLine[end..];
    }

    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            TimeSpan acceptedAt = _clock.Elapsed;
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (_probes.TryGetValue(remote, out var probe))
            {
                socket.Dispose();
                probe.TrySetResult();
                continue;
            }

            int index = Interlocked.Increment(ref _accepted) - 1;
            _open[index] = socket;
            var handler = new Thread(() => Handle(socket, index, remote, acceptedAt)) { IsBackground = true, Name = $"attempt-{index}" };
            _handlers[index] = handler;
            handler.Start();
        }
    }

    private void Handle(Socket socket, int index, IPEndPoint remote, TimeSpan acceptedAt)
    {
        using (socket)
        {
            var received = new MemoryStream();
            var buffer = new byte[4096];
            bool acted = false;
            string? sentAccept = null;
            try
            {
                while (true)
                {
                    int n = socket.Receive(buffer, SocketFlags.None);
                    if (n == 0)
                    {
                        break;
                    }

                    if (received.Length < MaxRecordedBytes)
                    {
                        received.Write(buffer, 0, n);
                    }

                    if (!acted && Trigger(received.GetBuffer().AsSpan(0, (int)received.Length)))
                    {
                        acted = true;
                        sentAccept = Act(socket, received.Length);
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Listener disposed, or the client reset the connection: what arrived is recorded.
            }

            TimeSpan closedAt = _clock.Elapsed;
            _open.TryRemove(index, out _);
            _completed.Add(AttemptConnection.Parse(index, remote, acceptedAt, closedAt, received.ToArray(), sentAccept));
        }
    }

    private bool Trigger(ReadOnlySpan<byte> received) => _behaviour == AttemptBehaviour.CloseAfterRequestLine
        ? received.IndexOf("\r\n"u8) >= 0
        : received.IndexOf("\r\n\r\n"u8) >= 0;

    /// <returns>The Sec-WebSocket-Accept value sent, if any.</returns>
    private string? Act(Socket socket, long receivedBytes)
    {
        switch (_behaviour)
        {
            case AttemptBehaviour.CloseAfterRequestLine:
                socket.Shutdown(SocketShutdown.Send);
                return null;
            case AttemptBehaviour.BadGateway:
                Send(socket,
                    "HTTP/1.1 502 Bad Gateway\r\n" +
                    "Content-Type: text/plain\r\n" +
                    $"Content-Length: {BadGatewayBody.Length}\r\n" +
                    "Connection: close\r\n" +
                    "\r\n" +
                    BadGatewayBody);
                socket.Shutdown(SocketShutdown.Send);
                return null;
            case AttemptBehaviour.WrongAccept:
                string accept = AttemptConnection.AcceptFor(ForeignKey);
                Send(socket,
                    "HTTP/1.1 101 Switching Protocols\r\n" +
                    "Upgrade: websocket\r\n" +
                    "Connection: Upgrade\r\n" +
                    $"Sec-WebSocket-Accept: {accept}\r\n" +
                    "\r\n");
                return accept;
            case AttemptBehaviour.NeverAnswer:
                return null;
            default:
                throw new InvalidOperationException($"Unknown behaviour {_behaviour} (request of {receivedBytes} bytes)");
        }
    }

    private static void Send(Socket socket, string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
        }
    }
}

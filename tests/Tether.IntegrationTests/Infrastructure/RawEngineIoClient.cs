using System.Net.Security;
using System.Net.WebSockets;
using System.Text;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// A bare WebSocket speaking engine.io v4 text frames by hand, for tests of the peer and of
/// protocol edges: it hides nothing but message framing and the ping answer.
/// </summary>
/// <remarks>Not thread-safe: one sender and one receiver at a time.</remarks>
public sealed class RawEngineIoClient : IAsyncDisposable
{
    private const int MaxMessageBytes = 16 * 1024 * 1024;
    private readonly ClientWebSocket _socket;

    private RawEngineIoClient(ClientWebSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Engine pings (<c>2</c>) answered with <c>3</c> by <see cref="ReceiveUntilAsync"/>.</summary>
    public int PingsAnswered { get; private set; }

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>
    /// <c>ws(s)://host:port/socket.io/?EIO=4&amp;transport=websocket&amp;…</c> for a peer URL
    /// (<c>http(s)://…</c>) and query parameters (escaped here).
    /// </summary>
    public static Uri BuildUri(string peerUrl, IEnumerable<KeyValuePair<string, string>> query, string path = "/socket.io/")
    {
        ArgumentNullException.ThrowIfNull(peerUrl);
        ArgumentNullException.ThrowIfNull(query);
        var builder = new UriBuilder(peerUrl);
        builder.Scheme = builder.Scheme == "https" ? "wss" : "ws";
        builder.Path = path;
        var parts = new List<string> { "EIO=4", "transport=websocket" };
        parts.AddRange(query.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
        builder.Query = string.Join("&", parts);
        return builder.Uri;
    }

    public static async Task<RawEngineIoClient> ConnectAsync(
        Uri uri,
        RemoteCertificateValidationCallback? validateServer = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var socket = new ClientWebSocket();
        try
        {
            if (validateServer is not null)
            {
                socket.Options.RemoteCertificateValidationCallback = validateServer;
            }

            socket.Options.Proxy = null;
            await socket.ConnectAsync(uri, ct);
            return new RawEngineIoClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string text, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory(), WebSocketMessageType.Text, endOfMessage: true, ct);
    }

    /// <summary>The next whole text message; null once the server closed the WebSocket.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken ct = default)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.AsMemory(), ct);
            }
            catch (WebSocketException) when (_socket.State is WebSocketState.Closed or WebSocketState.Aborted)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (message.Length > MaxMessageBytes)
            {
                throw new InvalidDataException($"Message over {MaxMessageBytes} bytes.");
            }

            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    /// <summary>
    /// Receives until a message matches, answering engine pings on the way; throws
    /// <see cref="TimeoutException"/> or, when the server closes first, <see cref="WebSocketException"/>.
    /// </summary>
    public async Task<string> ReceiveUntilAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var message = await ReceiveAsync(cts.Token)
                    ?? throw new WebSocketException($"The server closed the WebSocket ({CloseStatus}); seen: {string.Join(" | ", seen)}");
                if (match(message))
                {
                    return message;
                }

                seen.Add(message.Length > 200 ? message[..200] + "…" : message);
                if (message == "2")
                {
                    await SendAsync("3", cts.Token);
                    PingsAnswered++;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching message within {timeout.TotalSeconds:0.###} s; seen: {string.Join(" | ", seen)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // Closing is best effort; Dispose aborts.
        }

        _socket.Dispose();
    }
}

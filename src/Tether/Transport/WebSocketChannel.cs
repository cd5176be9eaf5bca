using System.Buffers;
using System.Net.WebSockets;

namespace Tether.Transport;

/// <summary>
/// One WebSocket, moving whole text messages. Only one <c>SendAsync</c> may be in flight on a
/// <see cref="WebSocket"/>, so sends are serialised by a lock; receiving is done by one
/// loop only. Thread-safety: <see cref="SendAsync"/> from any thread; <see cref="ReceiveAsync"/>
/// from one reader.
/// </summary>
internal sealed class WebSocketChannel(WebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _receiveChunk = new byte[16 * 1024];

    public WebSocketState State => socket.State;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Assembles the next message from its frames into <paramref name="into"/> (cleared first).
    /// A message over <paramref name="maxBytes"/> is read to its end and dropped, so one hostile
    /// message does not cost the connection.
    /// </summary>
    public async ValueTask<ReceiveOutcome> ReceiveAsync(ArrayBufferWriter<byte> into, int maxBytes, CancellationToken ct)
    {
        into.ResetWrittenCount();
        bool tooLarge = false;
        while (true)
        {
            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(_receiveChunk.AsMemory(), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ReceiveOutcome.Closed;
            }

            if (!tooLarge)
            {
                if (into.WrittenCount + result.Count > maxBytes)
                {
                    tooLarge = true;
                    into.ResetWrittenCount();
                }
                else
                {
                    into.Write(_receiveChunk.AsSpan(0, result.Count));
                }
            }

            if (result.EndOfMessage)
            {
                if (tooLarge)
                {
                    return ReceiveOutcome.TooLarge;
                }

                return result.MessageType == WebSocketMessageType.Binary ? ReceiveOutcome.Binary : ReceiveOutcome.Text;
            }
        }
    }

    /// <summary>Starts the closing handshake, bounded by <paramref name="timeout"/>; never throws.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "agent closing", cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            socket.Abort();
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        _sendLock.Dispose();
    }
}

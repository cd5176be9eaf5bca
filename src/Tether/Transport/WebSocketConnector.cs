using System.Net.WebSockets;

namespace Tether.Transport;

/// <summary>
/// Opens the agent's WebSocket (docs/protocol.md §2): a stream from
/// <see cref="OutboundConnection.OpenAsync"/>, one HTTP/1.1 upgrade request written here, the
/// 101 checked (<see cref="WebSocketHandshake"/>), then frames by
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>. One request per
/// attempt, whatever the server does.
/// </summary>
/// <remarks>Stateless apart from its rules; thread-safe.</remarks>
internal sealed class WebSocketConnector(OutboundConnection outbound)
{
    /// <summary>Connects to <paramref name="target"/> (ws:// or wss://, signed query included) and returns the open WebSocket.</summary>
    public async Task<WebSocket> ConnectAsync(Uri target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        Stream stream = await outbound.OpenAsync(target, ct);
        try
        {
            stream = await UpgradeAsync(stream, target, ct);

            // No WebSocket keep-alive: engine.io's own ping decides liveness, and keep-alive
            // frames would hide a dead peer from that check.
            return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private async Task<Stream> UpgradeAsync(Stream stream, Uri target, CancellationToken ct)
    {
        string key = WebSocketHandshake.NewKey();
        var (head, rest) = await outbound.ExchangeAsync(stream, WebSocketHandshake.BuildRequest(target, key, OutboundConnection.UserAgent), "upgrade", "server", ct);
        if (head.Status != 101 && head.Status >= 400 && rest.Length < OutboundConnection.BodyExcerptBytes)
        {
            rest = await OutboundConnection.ReadBodyExcerptAsync(stream, head, rest, ct);
        }

        if (WebSocketHandshake.Check(head, key, rest.Span) is { } refusal)
        {
            throw new ConnectFailedException("upgrade: " + refusal);
        }

        return rest.IsEmpty ? stream : new PrefixedStream(rest, stream);
    }
}

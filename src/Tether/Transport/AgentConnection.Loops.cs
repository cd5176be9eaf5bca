using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Tether.Protocol;

namespace Tether.Transport;

internal sealed partial class AgentConnection
{
    private static readonly byte[] EnginePong = EnginePacketCodec.EncodeControl(EnginePacketType.Pong);

    private async Task<EngineOpenInfo> ReadOpenAsync(WebSocketChannel channel, ArrayBufferWriter<byte> buffer, CancellationToken ct)
    {
        var outcome = await channel.ReceiveAsync(buffer, _options.MaxInboundMessageBytes, ct);
        if (outcome != ReceiveOutcome.Text
            || !EnginePacketCodec.TryDecode(buffer.WrittenSpan, out var packet, out _)
            || packet.Type != EnginePacketType.Open)
        {
            throw new InvalidOperationException("the server did not start with an engine.io open packet (is this a socket.io v4 server?)");
        }

        if (!EngineOpenInfo.TryParse(packet.Data, out var open, out string error))
        {
            throw new InvalidOperationException(error);
        }

        return open!;
    }

    /// <returns>Null once the namespace CONNECT is acknowledged; the server's reason on CONNECT_ERROR.</returns>
    private async Task<string?> AwaitConnectAckAsync(WebSocketChannel channel, ArrayBufferWriter<byte> buffer, CancellationToken ct)
    {
        while (true)
        {
            var outcome = await channel.ReceiveAsync(buffer, _options.MaxInboundMessageBytes, ct);
            if (outcome == ReceiveOutcome.Closed)
            {
                throw new WebSocketException("the server closed the connection during the socket.io handshake");
            }

            if (outcome != ReceiveOutcome.Text || !EnginePacketCodec.TryDecode(buffer.WrittenSpan, out var packet, out _))
            {
                continue;
            }

            if (packet.Type == EnginePacketType.Ping)
            {
                await channel.SendAsync(EnginePong, ct);
                continue;
            }

            if (packet.Type == EnginePacketType.Close)
            {
                throw new WebSocketException("the server closed the engine.io session during the socket.io handshake");
            }

            if (packet.Type != EnginePacketType.Message
                || !SocketPacketCodec.TryDecode(packet.Data, out var sp, out _)
                || sp!.Namespace != _options.Namespace)
            {
                continue;
            }

            if (sp.Type == SocketPacketType.Connect)
            {
                return null;
            }

            if (sp.Type == SocketPacketType.ConnectError)
            {
                return ConnectErrorMessage(sp.Data);
            }
        }
    }

    private static string ConnectErrorMessage(JsonElement? data) => data switch
    {
        { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString()!,
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        _ => "no reason given",
    };

    private async Task ReceiveLoopAsync(WebSocketChannel channel, ArrayBufferWriter<byte> buffer, LivenessMonitor liveness, CancellationToken ct)
    {
        while (true)
        {
            var outcome = await channel.ReceiveAsync(buffer, _options.MaxInboundMessageBytes, ct);
            DateTimeOffset now = _time.GetUtcNow();
            liveness.OnReceived(now);
            switch (outcome)
            {
                case ReceiveOutcome.Closed:
                    if (!_closing)
                    {
                        LogServerClosed();
                    }

                    return;
                case ReceiveOutcome.TooLarge:
                    LogInboundTooLarge(_options.MaxInboundMessageBytes);
                    continue;
                case ReceiveOutcome.Binary:
                    LogInboundBinary();
                    continue;
            }

            if (!EnginePacketCodec.TryDecode(buffer.WrittenSpan, out var packet, out string error))
            {
                LogMalformed(error);
                continue;
            }

            switch (packet.Type)
            {
                case EnginePacketType.Ping:
                    liveness.OnEnginePing(now);
                    await channel.SendAsync(EnginePong, ct);
                    break;
                case EnginePacketType.Close:
                    LogServerClosed();
                    return;
                case EnginePacketType.Message:
                    if (!await HandleSocketPacketAsync(channel, packet.Data, ct))
                    {
                        return;
                    }

                    break;
            }
        }
    }

    /// <returns>False when the server ended the socket.io session.</returns>
    private async ValueTask<bool> HandleSocketPacketAsync(WebSocketChannel channel, string data, CancellationToken ct)
    {
        if (!SocketPacketCodec.TryDecode(data, out var packet, out string error))
        {
            LogMalformed(error);
            return true;
        }

        if (packet!.Namespace != _options.Namespace)
        {
            return true;
        }

        switch (packet.Type)
        {
            case SocketPacketType.Event:
                if (!InboundEvent.TryFrom(packet, out var inbound, out error))
                {
                    LogMalformed(error);
                    return true;
                }

                await _dispatcher.DispatchAsync(inbound!, ct);
                if (inbound!.AckId is { } ackId)
                {
                    await channel.SendAsync(SocketPacketCodec.EncodeAck(_options.Namespace, ackId), ct);
                }

                return true;
            case SocketPacketType.Disconnect:
                LogServerDisconnected();
                return false;
            case SocketPacketType.ConnectError:
                LogConnectRefused(ConnectErrorMessage(packet.Data));
                return false;
            default:
                return true;
        }
    }

    private async Task SendLoopAsync(WebSocketChannel channel, LivenessMonitor liveness, CancellationToken ct)
    {
        while (true)
        {
            OutboundEvent e = await _outbox.TakeAsync(ct);
            if (e.Frame.Length > _options.MaxPayloadBytes)
            {
                // The server would close the connection over it (docs/protocol.md §2); capabilities split
                // or cut before posting, so this is a bug guard, not a code path.
                LogOversizeDropped(e.Name, e.Frame.Length, _options.MaxPayloadBytes);
                _outbox.Complete(e);
                continue;
            }

            await channel.SendAsync(e.Frame, ct);
            liveness.OnSent(_time.GetUtcNow());
            _outbox.Complete(e);
        }
    }

    private async Task WatchdogLoopAsync(LivenessMonitor liveness, CancellationToken ct)
    {
        while (true)
        {
            DateTimeOffset now = _time.GetUtcNow();
            var (verdict, next) = liveness.Evaluate(now);
            switch (verdict)
            {
                case LivenessVerdict.EnginePingMissed:
                    LogEnginePingMissed(liveness.EnginePingAllowance.TotalSeconds);
                    return;
                case LivenessVerdict.ServerSilent:
                    LogServerSilent(_options.PongTimeout.TotalSeconds);
                    return;
                case LivenessVerdict.SendPing:
                    long ts = now.ToUnixTimeMilliseconds();
                    _outbox.TryPostLive(new OutboundEvent("ping", _encoder.Encode("ping", w => w.WriteNumber("ts", ts)), Durable: false));
                    break;
            }

            TimeSpan wait = next - now;
            await Task.Delay(wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait, _time, ct);
        }
    }

    private async Task DrainAndSayGoodbyeAsync(WebSocketChannel channel, TimeSpan drainTimeout)
    {
        _closing = true;
        using var cts = new CancellationTokenSource(drainTimeout);
        try
        {
            await _outbox.WaitDrainedAsync(cts.Token);
            await channel.SendAsync(SocketPacketCodec.EncodeDisconnect(_options.Namespace), cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            LogDrainIncomplete(_outbox.DurableCount);
        }

        await channel.CloseAsync(TimeSpan.FromSeconds(1));
        LogClosedCleanly();
    }

    private ValueTask OnHelloAckAsync(InboundEvent e, CancellationToken ct)
    {
        _backoff.Reset();
        _outbox.OnReady();
        LogHelloAck();
        Ready?.Invoke();
        return ValueTask.CompletedTask;
    }

    private ValueTask OnPingAsync(InboundEvent e, CancellationToken ct)
    {
        if (e.Payload.ValueKind != JsonValueKind.Object)
        {
            LogBadPayload("ping", "payload is not an object");
            return ValueTask.CompletedTask;
        }

        // Echo ts untouched: a number keeps its exact text, a string stays a string (docs/protocol.md §3).
        JsonElement ts = e.Payload.TryGetProperty("ts", out var v) && v.ValueKind is JsonValueKind.Number or JsonValueKind.String ? v : default;
        if (ts.ValueKind == JsonValueKind.Undefined)
        {
            LogBadPayload("ping", "ts is missing or neither a number nor a string");
        }

        byte[] frame = _encoder.Encode("pong", w =>
        {
            if (ts.ValueKind != JsonValueKind.Undefined)
            {
                w.WritePropertyName("ts");
                ts.WriteTo(w);
            }
        });
        _outbox.TryPostLive(new OutboundEvent("pong", frame, Durable: false));
        return ValueTask.CompletedTask;
    }
}

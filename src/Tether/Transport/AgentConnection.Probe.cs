using System.Buffers;
using System.Net.WebSockets;
using Tether.Protocol;

namespace Tether.Transport;

internal sealed partial class AgentConnection
{
    /// <summary>
    /// One signed handshake for <c>tether check</c>: connect, engine.io open, socket.io CONNECT,
    /// then wait briefly for <c>hello_ack</c>. No retries, no events dispatched.
    /// </summary>
    public async Task<HandshakeProbeResult> ProbeAsync(TimeSpan helloAckWait, CancellationToken ct)
    {
        long ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string sig = HandshakeSigner.Sign(_options.ClientId, ts, _options.AuthToken);
        Uri uri = EngineEndpoint.Build(_options.ServerUri, _options.EnginePath, _options.ClientId, ts, sig);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            using var channel = new WebSocketChannel(await _connector.ConnectAsync(uri, cts.Token));
            cts.CancelAfter(_options.HandshakeTimeout + helloAckWait);
            var buffer = new ArrayBufferWriter<byte>(4096);
            await ReadOpenAsync(channel, buffer, cts.Token);
            await channel.SendAsync(SocketPacketCodec.EncodeConnect(_options.Namespace, WriteAuth(ts, sig)), cts.Token);
            string? refusal = await AwaitConnectAckAsync(channel, buffer, cts.Token);
            if (refusal is not null)
            {
                return new HandshakeProbeResult(HandshakeProbeOutcome.Refused, refusal);
            }

            bool helloAck = await WaitForHelloAckAsync(channel, buffer, helloAckWait, cts.Token);
            await channel.SendAsync(SocketPacketCodec.EncodeDisconnect(_options.Namespace), cts.Token);
            await channel.CloseAsync(TimeSpan.FromSeconds(1));
            return new HandshakeProbeResult(helloAck ? HandshakeProbeOutcome.Acknowledged : HandshakeProbeOutcome.ConnectedWithoutHelloAck, null);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
        {
            return new HandshakeProbeResult(HandshakeProbeOutcome.Failed, DescribeFailure(ex));
        }
    }

    private async Task<bool> WaitForHelloAckAsync(WebSocketChannel channel, ArrayBufferWriter<byte> buffer, TimeSpan wait, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(wait);
        try
        {
            while (true)
            {
                if (await channel.ReceiveAsync(buffer, _options.MaxInboundMessageBytes, cts.Token) != ReceiveOutcome.Text
                    || !EnginePacketCodec.TryDecode(buffer.WrittenSpan, out var packet, out _))
                {
                    continue;
                }

                if (packet.Type == EnginePacketType.Ping)
                {
                    await channel.SendAsync(EnginePong, cts.Token);
                }
                else if (packet.Type == EnginePacketType.Message
                    && SocketPacketCodec.TryDecode(packet.Data, out var sp, out _)
                    && InboundEvent.TryFrom(sp!, out var inbound, out _)
                    && inbound!.Name == "hello_ack")
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}

using Microsoft.Extensions.Logging;

namespace Tether.Transport;

internal sealed partial class AgentConnection
{
    [LoggerMessage(Level = LogLevel.Information, Message = "connecting to {Address} (attempt {Attempt})")]
    private partial void LogConnecting(string address, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "connected to {Address} (pingInterval {PingIntervalMs} ms, pingTimeout {PingTimeoutMs} ms)")]
    private partial void LogConnected(string address, double pingIntervalMs, double pingTimeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "hello_ack received; the dashboard knows this agent")]
    private partial void LogHelloAck();

    [LoggerMessage(Level = LogLevel.Warning, Message = "connection attempt failed: {Reason}")]
    private partial void LogConnectFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "connection dropped: {Reason}")]
    private partial void LogConnectionDropped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the server refused the agent: {ServerMessage}")]
    private partial void LogConnectRefused(string serverMessage);

    [LoggerMessage(Level = LogLevel.Information, Message = "reconnecting in {DelaySeconds:0.0} s")]
    private partial void LogReconnectIn(double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate verification is OFF for {Address} (skipTlsVerify / --insecure)")]
    private partial void LogInsecureTls(string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "connecting to {Address} without TLS: traffic, including the signed handshake, is readable on the network")]
    private partial void LogPlainText(string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the server closed the connection")]
    private partial void LogServerClosed();

    [LoggerMessage(Level = LogLevel.Warning, Message = "the server disconnected the agent; reconnecting")]
    private partial void LogServerDisconnected();

    [LoggerMessage(Level = LogLevel.Warning, Message = "no engine.io ping from the server within {Seconds} s; the link is dead, reconnecting")]
    private partial void LogEnginePingMissed(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "nothing received from the server for {Seconds} s; reconnecting")]
    private partial void LogServerSilent(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignored an inbound message larger than {MaxBytes} bytes")]
    private partial void LogInboundTooLarge(int maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignored a binary WebSocket message (no event of the protocol is binary)")]
    private partial void LogInboundBinary();

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignored a malformed packet: {Reason}")]
    private partial void LogMalformed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} ignored: {Reason}")]
    private partial void LogBadPayload(string @event, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "dropped outbound {Event} of {Bytes} bytes: above transport.maxPayloadBytes ({MaxBytes})")]
    private partial void LogOversizeDropped(string @event, int bytes, int maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shutdown: {Count} results could not be delivered before closing")]
    private partial void LogDrainIncomplete(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shutdown: {Count} queued results were never delivered (no connection)")]
    private partial void LogUndelivered(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "connection closed cleanly")]
    private partial void LogClosedCleanly();
}

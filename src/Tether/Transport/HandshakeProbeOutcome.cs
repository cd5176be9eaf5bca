namespace Tether.Transport;

/// <summary>Outcome of <see cref="AgentConnection.ProbeAsync"/>.</summary>
internal enum HandshakeProbeOutcome
{
    Acknowledged,
    ConnectedWithoutHelloAck,
    Refused,
    Failed,
}

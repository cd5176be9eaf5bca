namespace Tether.Transport;

/// <summary>What one probe handshake gave; <see cref="Reason"/> is the server's message or the failure.</summary>
internal sealed record HandshakeProbeResult(HandshakeProbeOutcome Outcome, string? Reason);

namespace Tether.Transport;

/// <summary>Outcome of a <see cref="LivenessMonitor"/> check.</summary>
internal enum LivenessVerdict
{
    Alive,
    SendPing,
    EnginePingMissed,
    ServerSilent,
}

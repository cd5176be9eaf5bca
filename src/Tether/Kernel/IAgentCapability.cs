namespace Tether.Kernel;

/// <summary>A capability that owns running work (shells, commands, backups).</summary>
internal interface IAgentCapability
{
    /// <summary>
    /// SIGTERM/SIGINT (docs/protocol.md §7): end running work and post its final results (durable) to
    /// the outbox; the connection then drains them. Must finish within <paramref name="ct"/>'s
    /// budget (<see cref="AgentHost.CapabilityShutdownBudget"/>).
    /// </summary>
    Task ShutdownAsync(CancellationToken ct);
}

namespace Tether.Protocol;

/// <summary>
/// An encoded event ready for the wire. <see cref="Durable"/> results (<c>admin_result</c>,
/// <c>backup_*</c>, <c>keys_sync_result</c>, <c>shell_closed</c>) are kept across outages;
/// live ones (<c>stats</c>, <c>shell_output</c>, <c>pong</c>) are dropped while disconnected (docs/protocol.md §7).
/// </summary>
internal sealed record OutboundEvent(string Name, byte[] Frame, bool Durable);

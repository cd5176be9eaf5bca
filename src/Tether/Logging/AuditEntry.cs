namespace Tether.Logging;

/// <summary>
/// One audit line (docs/protocol.md §7). Only identifying fields exist on purpose: there is no place for command
/// output, <c>env</c> values or key material.
/// </summary>
internal sealed record AuditEntry(AuditAction Action, AuditOutcome Outcome)
{
    /// <summary>Why it was refused or failed (policy, "busy", error text).</summary>
    public string? Reason { get; init; }

    /// <summary>The admin_run request token, echoed to correlate with the dashboard.</summary>
    public string? Token { get; init; }

    /// <summary>The command line as received (for crontab_install the whole pipeline).</summary>
    public string? Command { get; init; }

    public string? Session { get; init; }

    public string? User { get; init; }

    public string? PlanId { get; init; }

    /// <summary>Keys added by sync_keys.</summary>
    public int? Added { get; init; }
}

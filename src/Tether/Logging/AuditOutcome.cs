namespace Tether.Logging;

/// <summary>How an audited action ended; anything but <see cref="Ok"/> should carry a reason.</summary>
internal enum AuditOutcome
{
    Ok,
    Refused,
    Failed,
}

using Microsoft.Extensions.Logging;

namespace Tether.Config;

/// <summary>The <c>logging</c> section (docs/protocol.md §7). Paths absolute.</summary>
internal sealed class LoggingSettings
{
    /// <summary>JSON-lines log; default <c>agent.log</c> beside the config file.</summary>
    public required string File { get; init; }

    /// <summary>trace, debug, info (default), warn or error; <c>--log-level</c> already applied.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>Rotation size; 1024–1099511627776, default 10 MiB.</summary>
    public long MaxBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>Old files kept besides the current one; 0–1000, default 5.</summary>
    public int RetainedFiles { get; init; } = 5;

    /// <summary>Audit JSON lines; default <c>audit.log</c> beside the config file.</summary>
    public required string AuditFile { get; init; }
}

namespace Tether.Install;

/// <summary>The arguments of <c>tether service install</c>, and the binary to install.</summary>
internal sealed record ServiceInstallOptions
{
    /// <summary>The running binary, copied to the layout's binary path unless it is that file.</summary>
    public required string SourceBinary { get; init; }

    /// <summary><c>--config PATH</c>: the config the service reads (with <see cref="MonitorOnly"/>: the one it is derived from); null = the layout's default.</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--user NAME</c>: the account the service runs as; null = root.</summary>
    public string? User { get; init; }

    /// <summary><c>--monitor-only</c>: terminal, admin commands and backups off (see <see cref="MonitorOnlyConfig"/>).</summary>
    public bool MonitorOnly { get; init; }
}

namespace Tether.Config;

/// <summary>The <c>backup</c> section (docs/protocol.md §5). All paths absolute.</summary>
internal sealed class BackupSettings
{
    /// <summary>Every source dir must lie under one of these; empty (the default) refuses every backup.</summary>
    public IReadOnlyList<string> AllowedSourceRoots { get; init; } = [];

    /// <summary>The destination must lie under one of these; empty (the default) refuses every backup.</summary>
    public IReadOnlyList<string> AllowedDestRoots { get; init; } = [];

    /// <summary>Backup jobs running at once (different planIds); a start beyond it is refused with "busy".</summary>
    public int MaxConcurrent { get; init; } = 1;

    /// <summary>Passed as <c>-o UserKnownHostsFile=</c>; null = ssh's own default.</summary>
    public string? SshKnownHostsFile { get; init; }

    /// <summary>Passed as <c>-i</c> with <c>IdentitiesOnly=yes</c>; null = ssh's own default.</summary>
    public string? SshIdentityFile { get; init; }
}

namespace Tether.Config;

/// <summary>The <c>backup</c> section (docs/protocol.md §5). All paths absolute.</summary>
internal sealed class BackupSettings
{
    /// <summary>When non-empty, every source dir must lie under one of these.</summary>
    public IReadOnlyList<string> AllowedSourceRoots { get; init; } = [];

    /// <summary>When non-empty, the destination must lie under one of these.</summary>
    public IReadOnlyList<string> AllowedDestRoots { get; init; } = [];

    /// <summary>Passed as <c>-o UserKnownHostsFile=</c>; null = ssh's own default.</summary>
    public string? SshKnownHostsFile { get; init; }

    /// <summary>Passed as <c>-i</c> with <c>IdentitiesOnly=yes</c>; null = ssh's own default.</summary>
    public string? SshIdentityFile { get; init; }
}

namespace Tether.Config;

/// <summary>The <c>admin</c> section (docs/protocol.md §4).</summary>
internal sealed class AdminSettings
{
    /// <summary>Allowlist entries as written (non-empty strings); empty allows nothing.</summary>
    public IReadOnlyList<string> AllowedCommands { get; init; } = [];

    /// <summary>Absolute directories a <c>cmd.cwd</c> must lie under; empty refuses every cwd.</summary>
    public IReadOnlyList<string> AllowedCwds { get; init; } = [];

    /// <summary>
    /// Environment names a <c>cmd.env</c> may set besides <c>LANG</c>, <c>LC_*</c> and <c>TZ</c>
    /// (docs/protocol.md §4); each a POSIX name the agent does not protect.
    /// </summary>
    public IReadOnlyList<string> AllowedEnv { get; init; } = [];

    /// <summary>Slots shared by shells and commands; 1–1024, default 2.</summary>
    public int MaxConcurrent { get; init; } = 2;

    /// <summary>1–86400, default 30.</summary>
    public int DefaultTimeoutSec { get; init; } = 30;

    /// <summary>Per stream capture limit; 1024–1073741824, default 1 MiB.</summary>
    public int MaxOutputBytes { get; init; } = 1024 * 1024;

    /// <summary>Default true; false refuses every <c>shell_start</c> with "shell disabled".</summary>
    public bool EnableShell { get; init; } = true;
}

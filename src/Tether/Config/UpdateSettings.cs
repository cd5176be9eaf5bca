namespace Tether.Config;

/// <summary>The <c>update</c> section (docs/protocol.md §10): who may sign an update, and how cautious to be.</summary>
internal sealed class UpdateSettings
{
    /// <summary>ECDSA P-256 public keys as PEM (<c>-----BEGIN PUBLIC KEY-----</c>), each checked at load; empty (the default) disables updates.</summary>
    public IReadOnlyList<string> PublicKeys { get; init; } = [];

    /// <summary>Default false: a manifest whose version is not newer than the running one is refused.</summary>
    public bool AllowDowngrade { get; init; }

    /// <summary>How long a new binary has to reach <c>hello_ack</c> before it is rolled back; 1–86400, default 120.</summary>
    public int ProbationSec { get; init; } = 120;

    /// <summary>True when at least one key is configured.</summary>
    public bool Enabled => PublicKeys.Count > 0;
}

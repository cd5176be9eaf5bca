namespace Tether.Config;

/// <summary>
/// The agent's validated, immutable settings (docs/protocol.md §7). Built only by <see cref="ConfigLoader"/>;
/// every path is absolute and every value is inside its documented range.
/// </summary>
/// <remarks>Immutable, so safe to share between threads.</remarks>
internal sealed class AgentConfig
{
    /// <summary>Absolute path of the JSON config file (it may not exist when everything came from the environment).</summary>
    public required string ConfigPath { get; init; }

    /// <summary>Directory of <see cref="ConfigPath"/>; relative paths in the file and the defaults resolve against it.</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>Non-empty, at most 256 characters, no control characters.</summary>
    public required string ClientId { get; init; }

    /// <summary>The server URL as configured, normalised to http/https (ws → http, wss → https), no query or fragment.</summary>
    public required Uri ServerUri { get; init; }

    /// <summary>HMAC key for the handshake signature. Never log it.</summary>
    public required string AuthToken { get; init; }

    /// <summary>1–86400, default 60.</summary>
    public int StatsIntervalSec { get; init; } = 60;

    /// <summary>1–3600, default 15.</summary>
    public int HeartbeatIntervalSec { get; init; } = 15;

    /// <summary>2–86400, default 90.</summary>
    public int PongTimeoutSec { get; init; } = 90;

    /// <summary>Absolute; default <c>state/</c> beside the config file. Not created by the loader.</summary>
    public required string StateDir { get; init; }

    public TransportSettings Transport { get; init; } = new();

    public AdminSettings Admin { get; init; } = new();

    public ShellSettings Shell { get; init; } = new();

    public BackupSettings Backup { get; init; } = new();

    public StatsSettings Stats { get; init; } = new();

    public required KeysSettings Keys { get; init; }

    public required LoggingSettings Logging { get; init; }

    public UpdateSettings Update { get; init; } = new();

    /// <summary>Proxy settings from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (docs/protocol.md §2).</summary>
    public ProxySettings Proxy { get; init; } = ProxySettings.None;

    /// <summary>True for an https (or wss) server.</summary>
    public bool UsesTls => ServerUri.Scheme == Uri.UriSchemeHttps;

    /// <summary>The server URL with its query and fragment stripped, safe to log (the loader rejects userinfo).</summary>
    public string ServerUrlForLog => ServerUri.GetLeftPart(UriPartial.Path);
}

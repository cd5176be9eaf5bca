namespace Tether.Config;

/// <summary>The JSON keys the file may hold (docs/protocol.md §2–7); anything else is warned about by path.</summary>
internal static class ConfigKeys
{
    public static readonly IReadOnlySet<string> TopLevel = new HashSet<string>(StringComparer.Ordinal)
    {
        "clientId", "serverUrl", "authToken", "statsIntervalSec", "heartbeatIntervalSec", "pongTimeoutSec", "stateDir",
        "transport", "admin", "shell", "backup", "keys", "logging", "stats", "update",
    };

    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Sections =
        new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
        {
            ["transport"] = new HashSet<string>(StringComparer.Ordinal) { "path", "namespace", "caFile", "skipTlsVerify", "maxPayloadBytes" },
            ["admin"] = new HashSet<string>(StringComparer.Ordinal) { "allowedCommands", "allowedCwds", "allowedEnv", "maxConcurrent", "defaultTimeoutSec", "maxOutputBytes", "enableShell" },
            ["shell"] = new HashSet<string>(StringComparer.Ordinal) { "command", "args", "outputEncoding", "reconnectGraceSec" },
            ["backup"] = new HashSet<string>(StringComparer.Ordinal) { "allowedSourceRoots", "allowedDestRoots", "maxConcurrent", "sshKnownHostsFile", "sshIdentityFile" },
            ["keys"] = new HashSet<string>(StringComparer.Ordinal) { "enabled", "baseUrl", "authorizedKeysFile" },
            ["stats"] = new HashSet<string>(StringComparer.Ordinal) { "excludeMounts", "sensors", "containers" },
            ["logging"] = new HashSet<string>(StringComparer.Ordinal) { "file", "level", "maxBytes", "retainedFiles", "auditFile" },
            ["update"] = new HashSet<string>(StringComparer.Ordinal) { "publicKeys", "allowDowngrade", "probationSec" },
        };
}

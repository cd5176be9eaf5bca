using System.Collections;

namespace Tether.Config;

/// <summary>What <see cref="ConfigLoader.Load"/> reads: the flags, a snapshot of the environment and the process context.</summary>
internal sealed record ConfigSources
{
    /// <summary><c>--config PATH</c>, or null.</summary>
    public string? ConfigPathFlag { get; init; }

    /// <summary>Environment variables (case-sensitive names). Empty values count as unset, as in the Node agent.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary><c>--insecure</c>: true forces <c>transport.skipTlsVerify</c>; null = flag absent.</summary>
    public bool? Insecure { get; init; }

    /// <summary><c>--log-level LEVEL</c>, or null.</summary>
    public string? LogLevel { get; init; }

    /// <summary>Resolves the default config file and relative paths from env/flags.</summary>
    public string WorkingDirectory { get; init; } = System.Environment.CurrentDirectory;

    /// <summary>The agent user's home, for <c>~</c> and the default authorized_keys.</summary>
    public string HomeDirectory { get; init; } = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    /// <summary>Sources for this process: its environment, working directory and home, plus the given flags.</summary>
    public static ConfigSources FromProcess(string? configPathFlag, bool? insecure, string? logLevel)
    {
        // Windows variable names are case-insensitive; elsewhere HTTPS_PROXY and https_proxy are distinct.
        var env = new Dictionary<string, string?>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = entry.Value as string;
        }

        return new ConfigSources
        {
            ConfigPathFlag = configPathFlag,
            Environment = env,
            Insecure = insecure,
            LogLevel = logLevel,
        };
    }
}

using System.Diagnostics.CodeAnalysis;

namespace Tether.Config;

/// <summary>The outcome of <see cref="ConfigLoader.Load"/>: a config or one error naming the key, plus warnings.</summary>
internal sealed class ConfigLoadResult
{
    private ConfigLoadResult(AgentConfig? config, string? error, IReadOnlyList<string> warnings, string? logFileHint)
    {
        Config = config;
        Error = error;
        Warnings = warnings;
        LogFileHint = logFileHint;
    }

    public AgentConfig? Config { get; }

    /// <summary>One line, starts with "config: ", names the key; never contains the auth token or proxy credentials.</summary>
    public string? Error { get; }

    /// <summary>E.g. "unknown config key admin.alowedCommands"; log each as a warning once logging is up.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Where the log file would be (the config's <c>logging.file</c> on success; on failure LOG_FILE, else the file's
    /// <c>logging.file</c> if readable, else agent.log beside the config path), so a config error can be logged too.
    /// </summary>
    public string? LogFileHint { get; }

    [MemberNotNullWhen(true, nameof(Config))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Config is not null;

    public static ConfigLoadResult Success(AgentConfig config, IReadOnlyList<string> warnings) => new(config, null, warnings, config.Logging.File);

    public static ConfigLoadResult Failure(string error, IReadOnlyList<string> warnings, string? logFileHint = null) =>
        new(null, error, warnings, logFileHint);
}

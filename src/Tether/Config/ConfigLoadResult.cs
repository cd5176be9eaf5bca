using System.Diagnostics.CodeAnalysis;

namespace Tether.Config;

/// <summary>The outcome of <see cref="ConfigLoader.Load"/>: a config or one error naming the key, plus warnings.</summary>
internal sealed class ConfigLoadResult
{
    private ConfigLoadResult(AgentConfig? config, string? error, IReadOnlyList<string> warnings)
    {
        Config = config;
        Error = error;
        Warnings = warnings;
    }

    public AgentConfig? Config { get; }

    /// <summary>One line, starts with "config: ", names the key; never contains the auth token or proxy credentials.</summary>
    public string? Error { get; }

    /// <summary>E.g. "unknown config key admin.alowedCommands"; log each as a warning once logging is up.</summary>
    public IReadOnlyList<string> Warnings { get; }

    [MemberNotNullWhen(true, nameof(Config))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Config is not null;

    public static ConfigLoadResult Success(AgentConfig config, IReadOnlyList<string> warnings) => new(config, null, warnings);

    public static ConfigLoadResult Failure(string error, IReadOnlyList<string> warnings) => new(null, error, warnings);
}

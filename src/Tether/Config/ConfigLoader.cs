namespace Tether.Config;

/// <summary>
/// Builds <see cref="AgentConfig"/> from flags, environment, the JSON file and defaults, strongest first (CONTRACT §7).
/// Bad input never throws: it yields one error naming the key.
/// </summary>
internal static partial class ConfigLoader
{
    public static ConfigLoadResult Load(ConfigSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return ConfigLoadResult.Failure("config: loader not implemented yet", []);
    }
}

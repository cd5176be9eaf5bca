using System.Reflection;

namespace Tether.Config;

/// <summary>Facts about this build and host that several parts report.</summary>
internal static class AgentInfo
{
    public static string Version { get; } =
        (typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}

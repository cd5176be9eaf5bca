using System.Reflection;
using System.Runtime.InteropServices;

namespace Tether;

/// <summary>Facts about this build and host that several parts report.</summary>
internal static class AgentInfo
{
    public static string Version { get; } =
        (typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>Node's <c>os.arch()</c> names, which the dashboard already knows.</summary>
    public static string Arch { get; } = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "ia32",
        var other => other.ToString().ToLowerInvariant(),
    };
}

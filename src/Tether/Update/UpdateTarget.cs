using System.Runtime.InteropServices;

namespace Tether.Update;

/// <summary>The runtime identifier this binary was built for, as a manifest's <c>target</c> names it.</summary>
internal static class UpdateTarget
{
    public static string Current { get; } = For(
        OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : "unknown",
        RuntimeInformation.ProcessArchitecture);

    public static string For(string os, Architecture architecture) => os + "-" + architecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "x86",
        Architecture.Arm => "arm",
        _ => architecture.ToString().ToLowerInvariant(),
    };
}

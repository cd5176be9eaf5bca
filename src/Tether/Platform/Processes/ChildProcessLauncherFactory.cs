using Tether.Platform.Common;

namespace Tether.Platform.Processes;

/// <summary>Chooses the child-process launcher for the running OS.</summary>
internal static class ChildProcessLauncherFactory
{
    /// <summary>The launcher for this OS (a job object per command on Windows), or null where none exists.</summary>
    internal static IChildProcessLauncher? Create()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            return new UnixChildProcessLauncher(UnixPlatform.Current);
        }

        if (OperatingSystem.IsWindows())
        {
            return new WindowsChildProcessLauncher();
        }

        return null;
    }
}

using Tether.Platform.Unix;

namespace Tether.Platform;

/// <summary>Chooses the child-process launcher for the running OS.</summary>
internal static class ChildProcessLauncherFactory
{
    /// <summary>The launcher for this OS, or null where none exists yet (Windows job objects are future work).</summary>
    internal static IChildProcessLauncher? Create()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            return new UnixChildProcessLauncher(UnixPlatform.Current);
        }

        return null;
    }
}

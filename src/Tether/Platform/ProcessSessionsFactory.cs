using Tether.Platform.Linux;
using Tether.Platform.Unix;

namespace Tether.Platform;

/// <summary>Chooses the <see cref="IProcessSessions"/> of the running OS, once.</summary>
internal static class ProcessSessionsFactory
{
    /// <summary>The /proc scan on Linux; null elsewhere (a closed shell's group is still signalled).</summary>
    internal static IProcessSessions? Create()
    {
        if (OperatingSystem.IsLinux())
        {
            return new ProcessSessionKiller(UnixPlatform.Current);
        }

        return null;
    }
}

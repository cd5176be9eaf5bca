using Tether.Platform.Common;

namespace Tether.Platform.Processes;

/// <summary>Chooses the <see cref="IProcessSessions"/> of the running OS, once.</summary>
internal static class ProcessSessionsFactory
{
    /// <summary>
    /// The /proc scan on Linux; null elsewhere (a closed shell's group is still signalled). On
    /// Windows the shell's job object takes its place: <see cref="IPtySession.SignalGroup"/> with
    /// <see cref="PtySignal.Kill"/> and the session's Dispose end every process the shell started.
    /// </summary>
    internal static IProcessSessions? Create()
    {
        if (OperatingSystem.IsLinux())
        {
            return new ProcessSessionKiller(UnixPlatform.Current);
        }

        return null;
    }
}

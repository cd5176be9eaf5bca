
namespace Tether.Platform.ServiceHost;

/// <summary>The SERVICE_STATUS values the agent reports, built without P/Invoke so they are tested on every OS.</summary>
internal static class WindowsServiceStatuses
{
    /// <summary>
    /// STOP_PENDING's wait hint: twice the 5 s shutdown budget of docs/protocol.md §7, so the SCM never
    /// judges a normal shutdown hung.
    /// </summary>
    public static readonly TimeSpan StopWaitHint = TimeSpan.FromSeconds(10);

    /// <summary>Running, accepting stop and shutdown (nothing else: pause would have no meaning for the agent).</summary>
    public static Interop.Advapi32.SERVICE_STATUS Running() => new()
    {
        dwServiceType = Interop.Advapi32.SERVICE_WIN32_OWN_PROCESS,
        dwCurrentState = Interop.Advapi32.SERVICE_RUNNING,
        dwControlsAccepted = Interop.Advapi32.SERVICE_ACCEPT_STOP | Interop.Advapi32.SERVICE_ACCEPT_SHUTDOWN,
    };

    /// <summary>Stopping: no controls accepted; <paramref name="checkPoint"/> grows with each report of progress.</summary>
    public static Interop.Advapi32.SERVICE_STATUS StopPending(uint checkPoint) => new()
    {
        dwServiceType = Interop.Advapi32.SERVICE_WIN32_OWN_PROCESS,
        dwCurrentState = Interop.Advapi32.SERVICE_STOP_PENDING,
        dwCheckPoint = checkPoint,
        dwWaitHint = (uint)StopWaitHint.TotalMilliseconds,
    };

    /// <summary>
    /// Stopped with the agent's exit code. A non-zero code travels as a service-specific error
    /// (shown by <c>sc query</c>; with <c>sc failureflag</c> set it also triggers the failure
    /// actions), since exit codes like 2 are not Win32 error codes.
    /// </summary>
    public static Interop.Advapi32.SERVICE_STATUS Stopped(int exitCode) => new()
    {
        dwServiceType = Interop.Advapi32.SERVICE_WIN32_OWN_PROCESS,
        dwCurrentState = Interop.Advapi32.SERVICE_STOPPED,
        dwWin32ExitCode = exitCode == 0 ? Interop.Advapi32.NO_ERROR : Interop.Advapi32.ERROR_SERVICE_SPECIFIC_ERROR,
        dwServiceSpecificExitCode = unchecked((uint)exitCode),
    };
}

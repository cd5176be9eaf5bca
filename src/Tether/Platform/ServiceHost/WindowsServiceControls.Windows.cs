
namespace Tether.Platform.ServiceHost;

/// <summary>The control-code half of the service handler, free of P/Invoke so it is tested on every OS.</summary>
internal static class WindowsServiceControls
{
    /// <summary>
    /// Stop and system shutdown both end the agent the SIGTERM way; shutdown leaves less time
    /// (WaitToKillServiceTimeout), which the 5 s budget of docs/protocol.md §7 fits.
    /// </summary>
    public static WindowsServiceAction ActionFor(uint control) => control switch
    {
        Interop.Advapi32.SERVICE_CONTROL_STOP or Interop.Advapi32.SERVICE_CONTROL_SHUTDOWN => WindowsServiceAction.Stop,
        Interop.Advapi32.SERVICE_CONTROL_INTERROGATE => WindowsServiceAction.Interrogate,
        _ => WindowsServiceAction.NotImplemented,
    };

    /// <summary>What HandlerEx returns to the SCM for <paramref name="action"/>.</summary>
    public static uint HandlerResult(WindowsServiceAction action) =>
        action == WindowsServiceAction.NotImplemented ? Interop.Advapi32.ERROR_CALL_NOT_IMPLEMENTED : Interop.Advapi32.NO_ERROR;
}

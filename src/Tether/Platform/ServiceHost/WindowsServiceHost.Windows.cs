using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform.ServiceHost;

/// <summary>
/// Runs the agent under the Windows Service Control Manager, through advapi32 directly:
/// StartServiceCtrlDispatcherW, RegisterServiceCtrlHandlerExW and SetServiceStatus with static
/// <c>[UnmanagedCallersOnly]</c> callbacks (no delegate marshalling).
/// </summary>
/// <remarks>
/// <para>
/// Why not ServiceBase (System.ServiceProcess.ServiceController 10.0.x)? It is trim-clean for
/// win-x64 and adds nothing to the linux-x64 binary, but: its ExitCode becomes the Win32 exit
/// code, so the agent's exit 2 would read "The system cannot find the file specified" in
/// <c>sc query</c> and the event log (here it is a service-specific code under
/// ERROR_SERVICE_SPECIFIC_ERROR); its OnStop is synchronous, so the async shutdown would be
/// blocked on; and ServiceBase.Run started outside the SCM only prints a message, leaving no
/// result for an exit code. These three calls are all the agent needs.
/// </para>
/// <para>
/// A process runs one service, so the state the native callbacks reach is a static field set
/// once by <see cref="RunAsync"/>. The service is installed as SERVICE_WIN32_OWN_PROCESS, for
/// which the SCM ignores the name in the dispatch table: the agent need not know the name it
/// was installed under.
/// </para>
/// </remarks>
[SupportedOSPlatform("windows")]
internal static class WindowsServiceHost
{
    // How long to wait for StartServiceCtrlDispatcherW to return after SERVICE_STOPPED before
    // exiting anyway: the dispatcher thread is a background thread and must not keep the process.
    private static readonly TimeSpan DispatcherExitWait = TimeSpan.FromSeconds(2);

    private const string NotStartedBySystem = "tether: --service: this process was not started by the Windows Service Control Manager; start the service with `sc.exe start`, or run `tether run` without --service in a console";

    private static WindowsServiceRun? s_run;

    /// <summary>
    /// Connects to the SCM, runs <paramref name="agent"/> until a stop or shutdown control
    /// cancels its token (or it ends by itself), reports SERVICE_STOPPED with its exit code and
    /// returns that code. Exit code 2 with a message on <paramref name="error"/> when this
    /// process was not started by the SCM.
    /// </summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> agent, TextWriter error)
    {
        // A console start is told at once instead of after the dispatcher's wait for the SCM.
        if (WindowsServiceParent.Classify() == WindowsServiceParentKind.Other)
        {
            await error.WriteLineAsync(NotStartedBySystem);
            return 2;
        }

        var run = new WindowsServiceRun(agent);
        if (Interlocked.CompareExchange(ref s_run, run, null) is not null)
        {
            throw new InvalidOperationException("A process runs one Windows service.");
        }

        var dispatcher = new Thread(Dispatch) { Name = "scm-dispatcher", IsBackground = true };
        dispatcher.Start(run);

        Task<int> agentTask;
        try
        {
            agentTask = await run.Started;
        }
        catch (Win32Exception e) when (e.NativeErrorCode == Interop.Advapi32.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
        {
            await error.WriteLineAsync(NotStartedBySystem);
            return 2;
        }
        catch (Exception e)
        {
            // Under the SCM stderr goes nowhere; the exit makes the SCM log "terminated
            // unexpectedly" and apply the failure actions.
            await error.WriteLineAsync($"tether: --service: {e.Message} (error {(e as Win32Exception)?.NativeErrorCode ?? 0})");
            return 1;
        }

        int exitCode = 1;
        try
        {
            exitCode = await agentTask;
        }
        finally
        {
            // Also when the agent threw: the SCM learns of the failure, then the exception goes on.
            run.ReportStopped(exitCode);
        }

        try
        {
            await run.DispatcherExited.WaitAsync(DispatcherExitWait);
        }
        catch (TimeoutException)
        {
        }

        return exitCode;
    }

    private static unsafe void Dispatch(object? state)
    {
        var run = (WindowsServiceRun)state!;
        // Own-process services: the name is ignored but must not be null (the empty string is allowed).
        fixed (char* name = string.Empty)
        {
            var table = stackalloc Interop.Advapi32.SERVICE_TABLE_ENTRYW[2];
            table[0] = new Interop.Advapi32.SERVICE_TABLE_ENTRYW { lpServiceName = name, lpServiceProc = &ServiceMain };
            table[1] = default;
            bool ok = Interop.Advapi32.StartServiceCtrlDispatcher(table);
            run.DispatcherReturned(ok ? 0 : Marshal.GetLastPInvokeError());
        }
    }

    // On a thread of the SCM's. An exception must not unwind into native code, so everything is caught.
    [UnmanagedCallersOnly]
    private static unsafe void ServiceMain(uint argc, char** argv)
    {
        WindowsServiceRun? run = s_run;
        if (run is null)
        {
            return;
        }

        try
        {
            string name = argc > 0 && argv[0] is not null ? new string(argv[0]) : string.Empty;
            nint handle = Interop.Advapi32.RegisterServiceCtrlHandlerEx(name, &HandleControl, null);
            if (handle == 0)
            {
                run.FailStart(new Win32Exception(Marshal.GetLastPInvokeError(), "RegisterServiceCtrlHandlerExW failed"));
                return;
            }

            run.Start(handle);
        }
        catch (Exception e)
        {
            run.FailStart(e);
        }
    }

    // On the dispatcher thread; must return quickly (RequestStop only queues the cancel).
    [UnmanagedCallersOnly]
    private static unsafe uint HandleControl(uint control, uint eventType, void* eventData, void* context)
    {
        WindowsServiceAction action = WindowsServiceControls.ActionFor(control);
        if (action == WindowsServiceAction.Stop)
        {
            s_run?.RequestStop();
        }

        return WindowsServiceControls.HandlerResult(action);
    }
}

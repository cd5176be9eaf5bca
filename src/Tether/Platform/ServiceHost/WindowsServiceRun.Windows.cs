using System.ComponentModel;
using System.Runtime.Versioning;

namespace Tether.Platform.ServiceHost;

/// <summary>
/// The state of the one service this process runs: its status handle, the agent task and the
/// stop signal, and the status reports to the SCM.
/// </summary>
/// <remarks>
/// Thread-safe: ServiceMain calls <see cref="Start"/> on a thread the SCM creates, control
/// handlers call <see cref="RequestStop"/> on the dispatcher thread, and the awaiting caller
/// reports the end. Reports are serialised by a lock and nothing follows SERVICE_STOPPED, which
/// lets StartServiceCtrlDispatcherW return.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsServiceRun
{
    private readonly Func<CancellationToken, Task<int>> _agent;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<Task<int>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _dispatcherExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private nint _statusHandle;
    private uint _state = Interop.Advapi32.SERVICE_START_PENDING;
    private uint _checkPoint;

    public WindowsServiceRun(Func<CancellationToken, Task<int>> agent)
    {
        _agent = agent;
    }

    /// <summary>The agent's task once ServiceMain started it; faults (a <see cref="Win32Exception"/> from advapi32) when the service could not start.</summary>
    public Task<Task<int>> Started => _started.Task;

    /// <summary>StartServiceCtrlDispatcherW's outcome: 0 once it returned after SERVICE_STOPPED, else the Win32 error.</summary>
    public Task<int> DispatcherExited => _dispatcherExited.Task;

    /// <summary>From ServiceMain: registered with the SCM; report RUNNING and start the agent.</summary>
    public void Start(nint statusHandle)
    {
        lock (_gate)
        {
            _statusHandle = statusHandle;
        }

        // RUNNING first: a stop that arrives before the agent task starts only pre-cancels its token.
        Report(WindowsServiceStatuses.Running());
        _started.TrySetResult(Task.Run(() => _agent(_stopping.Token)));
    }

    /// <summary>From ServiceMain: registering failed, so no status can ever be reported.</summary>
    public void FailStart(Exception reason) => _started.TrySetException(reason);

    /// <summary>From the dispatcher thread, when StartServiceCtrlDispatcherW returned.</summary>
    public void DispatcherReturned(int win32Error)
    {
        _started.TrySetException(win32Error != 0
            ? new Win32Exception(win32Error, "StartServiceCtrlDispatcherW failed")
            : new InvalidOperationException("the service control dispatcher returned before the service started"));
        _dispatcherExited.TrySetResult(win32Error);
    }

    /// <summary>
    /// From the control handler (stop or shutdown): report STOP_PENDING and cancel the agent's
    /// token. The cancel runs on the thread pool because its continuations run the whole
    /// shutdown, and the handler must return to the SCM at once. Repeats are ignored.
    /// </summary>
    public void RequestStop()
    {
        lock (_gate)
        {
            if (_state != Interop.Advapi32.SERVICE_RUNNING)
            {
                return;
            }

            SetStatus(WindowsServiceStatuses.StopPending(++_checkPoint));
        }

        ThreadPool.UnsafeQueueUserWorkItem(static cts => cts.Cancel(), _stopping, preferLocal: false);
    }

    /// <summary>The agent ended (after a stop, or by itself, e.g. exit 2 on a bad config): report STOPPED with its code.</summary>
    public void ReportStopped(int exitCode) => Report(WindowsServiceStatuses.Stopped(exitCode));

    private void Report(Interop.Advapi32.SERVICE_STATUS status)
    {
        lock (_gate)
        {
            if (_state == Interop.Advapi32.SERVICE_STOPPED || _statusHandle == 0)
            {
                return;
            }

            SetStatus(status);
        }
    }

    // Under _gate. A failed report cannot be told to the SCM; the state still moves on so that
    // STOPPED is attempted once and nothing is reported after it.
    private void SetStatus(in Interop.Advapi32.SERVICE_STATUS status)
    {
        _ = Interop.Advapi32.SetServiceStatus(_statusHandle, in status);
        _state = status.dwCurrentState;
    }
}

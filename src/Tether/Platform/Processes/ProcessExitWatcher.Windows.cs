using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Processes;

/// <summary>
/// A task that completes when a process handle is signalled (the process has ended), through
/// the thread pool's wait threads instead of a thread per child.
/// </summary>
/// <remarks>
/// Holds a reference on the process handle until the wait fires, so a Dispose of the handle in
/// the meantime cannot close it under the pending wait. A Windows process object with an open
/// handle keeps its pid reserved, so the pid stays unambiguous while the caller holds the handle.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class ProcessExitWatcher : WaitHandle
{
    private readonly SafeProcessHandle _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private RegisteredWaitHandle? _registration;
    private bool _fired;

    private ProcessExitWatcher(SafeProcessHandle process)
    {
        _process = process;
    }

    /// <summary>Completes once the process has ended; never faults.</summary>
    internal Task Exited => _exited.Task;

    /// <summary>Starts watching <paramref name="process"/>; the caller keeps owning the handle.</summary>
    internal static ProcessExitWatcher Start(SafeProcessHandle process)
    {
        var watcher = new ProcessExitWatcher(process);
        var added = false;
        process.DangerousAddRef(ref added);
        try
        {
            // Not owned: the SafeProcessHandle closes it, after the reference above is released.
            watcher.SafeWaitHandle = new SafeWaitHandle(process.DangerousGetHandle(), ownsHandle: false);
            var registration = ThreadPool.RegisterWaitForSingleObject(
                watcher,
                static (state, _) => ((ProcessExitWatcher)state!).OnSignalled(),
                watcher,
                Timeout.Infinite,
                executeOnlyOnce: true);
            lock (watcher._gate)
            {
                if (watcher._fired)
                {
                    registration.Unregister(null);
                }
                else
                {
                    watcher._registration = registration;
                }
            }

            return watcher;
        }
        catch
        {
            process.DangerousRelease();
            throw;
        }
    }

    private void OnSignalled()
    {
        lock (_gate)
        {
            _fired = true;
            _registration?.Unregister(null);
            _registration = null;
        }

        _process.DangerousRelease();
        _exited.TrySetResult();
    }
}

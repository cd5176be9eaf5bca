using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Processes;

/// <summary>One child started by <see cref="WindowsChildProcessLauncher"/>, alone in its job object with what it starts.</summary>
/// <remarks>
/// The process handle is held until <see cref="Reap"/>, which keeps the pid from reuse the way
/// an unreaped zombie does on Unix. <see cref="KillTree"/> terminates the job, so it reaches
/// every process of the tree, also ones whose parent has exited. <see cref="Dispose"/> closes
/// the job handle: with KILL_ON_JOB_CLOSE that ends whatever of the tree is still running,
/// reaped or not (stricter than Unix, where a reaped group is left alone). <see cref="_gate"/>
/// orders kill against reap. Thread-safe.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsChildProcess : IChildProcess
{
    private readonly SafeProcessHandle _process;
    private readonly SafeJobObjectHandle _job;
    private readonly FileStream _stdout;
    private readonly FileStream _stderr;
    private readonly FileStream? _stdin;
    private readonly Lock _gate = new();
    private ChildProcessExit? _exit;
    private bool _killRequested;
    private bool _disposed;

    /// <summary>Takes ownership of the handles and streams.</summary>
    internal WindowsChildProcess(SafeProcessHandle process, SafeJobObjectHandle job, int pid, FileStream stdout, FileStream stderr, FileStream? stdin)
    {
        _process = process;
        _job = job;
        Pid = pid;
        _stdout = stdout;
        _stderr = stderr;
        _stdin = stdin;
        Exited = ProcessExitWatcher.Start(process).Exited;
    }

    public int Pid { get; }

    public Stream StandardOutput => _stdout;

    public Stream StandardError => _stderr;

    public Stream? StandardInput => _stdin;

    public Task Exited { get; }

    public bool KillTree()
    {
        lock (_gate)
        {
            if (_exit is not null || _disposed)
            {
                return false;
            }

            _killRequested = true;
            return Interop.Kernel32.TerminateJobObject(_job, WindowsExitStatus.KillExitCode);
        }
    }

    public ChildProcessExit Reap()
    {
        if (!Exited.IsCompleted)
        {
            throw new InvalidOperationException("The child has not exited yet.");
        }

        lock (_gate)
        {
            if (_exit is not null)
            {
                return _exit;
            }

            _exit = Interop.Kernel32.GetExitCodeProcess(_process, out var code)
                ? WindowsExitStatus.ToChildExit(code, _killRequested)
                : ChildProcessExit.Unknown;
            _process.Dispose();
            return _exit;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;

            // KILL_ON_JOB_CLOSE: whatever of the tree still runs ends here.
            _job.Dispose();
        }

        // Never leave the process handle open: collect the status once the leader is gone.
        _ = Exited.ContinueWith(_ => Reap(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _stdout.Dispose();
        _stderr.Dispose();
        _stdin?.Dispose();
    }
}

using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.Processes;

/// <summary>One child started by <see cref="UnixChildProcessLauncher"/>, leader of its own process group.</summary>
/// <remarks>
/// A small-stack thread waits for the leader with <c>waitid(WEXITED|WNOWAIT)</c>, which reaps
/// nothing: the zombie keeps the pid, and with it the group id, reserved until <see cref="Reap"/>,
/// so <see cref="KillTree"/> never signals a recycled group (same reasoning as
/// <c>UnixPtySession.Reaper.cs</c>, which also explains the ECHILD case when the runtime reaps
/// everything as pid 1). <see cref="_gate"/> orders kill against reap. Thread-safe.
/// </remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed class UnixChildProcess : IChildProcess
{
    private const int ReaperStackSize = 128 * 1024;
    private const int SigInfoSize = 512;

    private readonly UnixPlatform _platform;
    private readonly AnonymousPipeServerStream _stdout;
    private readonly AnonymousPipeServerStream _stderr;
    private readonly AnonymousPipeServerStream? _stdin;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private ChildProcessExit? _exit;
    private bool _lost;
    private bool _disposed;

    internal UnixChildProcess(UnixPlatform platform, int pid, AnonymousPipeServerStream stdout, AnonymousPipeServerStream stderr, AnonymousPipeServerStream? stdin)
    {
        _platform = platform;
        Pid = pid;
        _stdout = stdout;
        _stderr = stderr;
        _stdin = stdin;
        var thread = new Thread(WaitLoop, ReaperStackSize)
        {
            IsBackground = true,
            Name = "child-wait " + pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        thread.Start();
    }

    public int Pid { get; }

    public Stream StandardOutput => _stdout;

    public Stream StandardError => _stderr;

    public Stream? StandardInput => _stdin;

    public Task Exited => _exited.Task;

    public bool KillTree()
    {
        // kill(0) or kill(-1) would hit our own group or everything we may signal.
        if (Pid <= 0)
        {
            throw new InvalidOperationException("Refusing to signal a process group id <= 0.");
        }

        lock (_gate)
        {
            if (_exit is not null || _lost)
            {
                return false;
            }

            return Interop.Libc.Kill(-Pid, _platform.SigKill) == 0;
        }
    }

    public unsafe ChildProcessExit Reap()
    {
        if (!_exited.Task.IsCompleted)
        {
            throw new InvalidOperationException("The child has not exited yet.");
        }

        lock (_gate)
        {
            if (_exit is not null)
            {
                return _exit;
            }

            if (_lost)
            {
                return _exit = ChildProcessExit.Unknown;
            }

            int status;
            int result;
            while ((result = Interop.Libc.WaitPid(Pid, &status, 0)) < 0 && Marshal.GetLastPInvokeError() == _platform.EIntr)
            {
            }

            if (result != Pid)
            {
                return _exit = ChildProcessExit.Unknown;
            }

            var decoded = WaitStatus.Decode(status, _platform);
            return _exit = new ChildProcessExit(decoded.ExitCode, decoded.Signal, decoded.SignalName);
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
        }

        // Never leave a tree running or a zombie behind.
        KillTree();
        _ = _exited.Task.ContinueWith(_ => Reap(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _stdout.Dispose();
        _stderr.Dispose();
        _stdin?.Dispose();
    }

    private void WaitLoop()
    {
        var info = (nint)0;
        try
        {
            unsafe
            {
                info = (nint)NativeMemory.AllocZeroed(SigInfoSize);
            }

            while (Interop.Libc.WaitId(_platform.PPid, Pid, info, _platform.WExited | _platform.WNoWait) != 0)
            {
                if (Marshal.GetLastPInvokeError() != _platform.EIntr)
                {
                    // ECHILD: someone else reaped it; it is gone either way.
                    lock (_gate)
                    {
                        _lost = true;
                    }

                    return;
                }
            }
        }
        finally
        {
            unsafe
            {
                NativeMemory.Free((void*)info);
            }

            _exited.TrySetResult();
        }
    }
}

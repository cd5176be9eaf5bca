using System.Runtime.InteropServices;
using Tether.Platform.Processes;

namespace Tether.Platform.Pty;

// Reaping: a posix_spawn child is unknown to System.Diagnostics.Process, so a dedicated
// small-stack thread per session waits for it. Does the runtime steal the status? Read in
// dotnet/runtime src/native/libs/System.Native/pal_signal.c (SignalHandlerLoop) and
// ProcessWaitState.Unix.cs (CheckChildren): on SIGCHLD the runtime peeks with
// waitid(P_ALL, WNOHANG|WNOWAIT), which reaps nothing, and calls waitpid(pid, WNOHANG) only
// for pids it started through Process (an unknown pid such as ours just makes it check all
// of its own), unless reapAll is set. reapAll holds only when this process is pid 1 or
// SIGCHLD was SIG_IGN at startup; then it calls waitpid(-1) and may take our child's status.
// In that case waitid/waitpid below fail with ECHILD and Exited reports PtyExit.Unknown
// instead of hanging. Running as pid 1 in a container therefore loses shell exit codes (use
// an init such as tini); a normal service does not. Covered by the test
// Exited_WhileProcessClassReapsItsOwnChildren_StillGetsTheExitCode.
//
// PID reuse: waitid(WNOWAIT) first waits for the exit without reaping, so the zombie keeps
// the pid (and with it the process group id) reserved; only under _gate is it reaped and
// _reaped set, and SignalGroup checks _reaped under the same lock, so it never signals a
// recycled process group (compare the PID-reuse note in Process.Unix.cs).
internal sealed partial class UnixPtySession
{
    private const int ReaperStackSize = 128 * 1024;
    private const int SigInfoSize = 512;

    private readonly TaskCompletionSource<PtyExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _reaped;

    public Task<PtyExit> Exited => _exited.Task;

    private void StartReaper()
    {
        var thread = new Thread(ReaperLoop, ReaperStackSize)
        {
            IsBackground = true,
            Name = "pty-reaper " + Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        thread.Start();
    }

    private unsafe void ReaperLoop()
    {
        var exit = PtyExit.Unknown;
        var info = (nint)NativeMemory.AllocZeroed(SigInfoSize);
        try
        {
            while (Interop.Libc.WaitId(_platform.PPid, Pid, info, _platform.WExited | _platform.WNoWait) != 0)
            {
                if (Marshal.GetLastPInvokeError() != _platform.EIntr)
                {
                    // ECHILD: someone else reaped it (see above); the process is gone either way.
                    lock (_gate)
                    {
                        _reaped = true;
                    }

                    return;
                }
            }

            lock (_gate)
            {
                int status;
                int result;
                while ((result = Interop.Libc.WaitPid(Pid, &status, 0)) < 0 && Marshal.GetLastPInvokeError() == _platform.EIntr)
                {
                }

                if (result == Pid)
                {
                    exit = WaitStatus.Decode(status, _platform);
                }

                _reaped = true;
            }
        }
        finally
        {
            NativeMemory.Free((void*)info);
            _exited.TrySetResult(exit);
        }
    }
}

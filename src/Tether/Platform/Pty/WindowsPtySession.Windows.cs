using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Processes;

namespace Tether.Platform.Pty;

/// <summary>
/// One program in a ConPTY. Output: <c>WindowsPtySession.Reader.cs</c>; input: <c>.Writer.cs</c>;
/// exit, signals and closing: here.
/// </summary>
/// <remarks>
/// <para>Thread-safety as documented on <see cref="IPtySession"/>. <see cref="_gate"/> guards the
/// output ring, the waiters, the flags, and the use of the job and process handles; the only
/// calls made under it (TerminateJobObject, TerminateProcess, GetExitCodeProcess) do not block.</para>
/// <para>Signals map onto what Windows has: <see cref="PtySignal.Hangup"/> and
/// <see cref="PtySignal.Terminate"/> close the pseudo console (its programs get CTRL_CLOSE_EVENT,
/// the nearest thing to SIGHUP); <see cref="PtySignal.Interrupt"/> types Ctrl-C;
/// <see cref="PtySignal.Kill"/> terminates the job, that is the shell and everything it
/// started (after <see cref="Dispose"/>, when the job is gone, the shell alone).</para>
/// <para>Closing: <see cref="Dispose"/> closes the job handle, which ends the whole tree
/// (KILL_ON_JOB_CLOSE), and closes the pseudo console. The console is also closed as soon as the
/// shell exits, so the output pipe reaches EOF after the console host's final frame, as a Unix
/// master does once the slave is closed; processes the shell left attached to the console get
/// CTRL_CLOSE_EVENT then. ClosePseudoConsole always runs on a short-lived thread of its own,
/// never on the reader thread (it may wait for the final frame to be read: docs/field-notes.md).</para>
/// <para><see cref="Pid"/> stays unambiguous: the process handle is held, which keeps the pid
/// from reuse, until the exit has been collected; signals check that under the gate.</para>
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed partial class WindowsPtySession : IPtySession
{
    private const int CloserStackSize = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly SafePseudoConsoleHandle _console;
    private readonly SafeJobObjectHandle _job;
    private readonly SafeProcessHandle _process;
    private readonly TaskCompletionSource<PtyExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _exitCollected;
    private bool _killRequested;
    private bool _disposed;
    private int _consoleClosing;

    /// <summary>Takes ownership of every handle, also when it throws.</summary>
    internal WindowsPtySession(
        SafePseudoConsoleHandle console,
        SafeFileHandle input,
        SafeFileHandle output,
        SafeJobObjectHandle job,
        SafeProcessHandle process,
        int pid)
    {
        _console = console;
        _output = output;
        _outputRing = new PtyOutputRing(_gate, _spaceAvailable.Set);
        _job = job;
        _process = process;
        Pid = pid;
        try
        {
            _input = new FileStream(input, FileAccess.Write, bufferSize: 0, isAsync: false);
            StartReader();
            _ = ProcessExitWatcher.Start(process).Exited.ContinueWith(
                static (_, state) => ((WindowsPtySession)state!).OnExited(),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        catch
        {
            // Never leave a shell nobody can end: closing the job kills it. A reader already
            // running switches to dropping output, so the console host can finish and exit.
            lock (_gate)
            {
                _disposed = true;
            }

            _spaceAvailable.Set();
            job.Dispose();
            _input?.Dispose();
            input.Dispose();
            output.Dispose();
            process.Dispose();
            BeginCloseConsole();
            throw;
        }
    }

    public int Pid { get; }

    public Task<PtyExit> Exited => _exited.Task;

    public void Resize(int columns, int rows)
    {
        PtyStartOptions.ValidateSize(columns, rows);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        if (Volatile.Read(ref _consoleClosing) != 0)
        {
            // Hung up or exited: there is no window left to size.
            return;
        }

        int result;
        try
        {
            result = Interop.Kernel32.ResizePseudoConsole(_console, new Interop.Kernel32.Coord((short)columns, (short)rows));
        }
        catch (ObjectDisposedException) when (!Volatile.Read(ref _disposed))
        {
            return;
        }

        if (result < 0)
        {
            throw new PtyException($"Resizing the pseudo console failed: {Marshal.GetPInvokeErrorMessage(result)} (0x{result.ToString("X8", CultureInfo.InvariantCulture)}).", result);
        }
    }

    public bool SignalGroup(PtySignal signal)
    {
        if (signal == PtySignal.Interrupt)
        {
            return Interrupt();
        }

        lock (_gate)
        {
            if (_exitCollected)
            {
                return false;
            }

            if (signal is PtySignal.Hangup or PtySignal.Terminate)
            {
                BeginCloseConsole();
                return true;
            }

            _killRequested = true;
            if (!_disposed && Interop.Kernel32.TerminateJobObject(_job, WindowsExitStatus.KillExitCode))
            {
                return true;
            }

            // After Dispose the job is closed (which already ended the tree); the shell itself
            // is reached through its handle, still open until the exit is collected.
            if (Interop.Kernel32.TerminateProcess(_process, WindowsExitStatus.KillExitCode))
            {
                return true;
            }

            // TerminateProcess fails (ERROR_ACCESS_DENIED) once the process has ended, as it has
            // here when the job's close killed it before the exit was collected: already gone.
            var error = Marshal.GetLastPInvokeError();
            if (Interop.Kernel32.GetExitCodeProcess(_process, out var code) && code != Interop.Kernel32.STILL_ACTIVE)
            {
                return false;
            }

            throw new PtyException($"Terminating the shell failed: {Marshal.GetPInvokeErrorMessage(error)}.", error);
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

            // KILL_ON_JOB_CLOSE: the shell and every process it started end here.
            _job.Dispose();
            _outputRing.Close();
        }

        // From now on the reader discards what the console host still writes, so the host can
        // always finish; the output handle closes when the reader lets go of it (at EOF).
        _spaceAvailable.Set();
        BeginCloseConsole();
        _input.Dispose();
        _output.Dispose();
    }

    private void OnExited()
    {
        var exit = PtyExit.Unknown;
        lock (_gate)
        {
            if (Interop.Kernel32.GetExitCodeProcess(_process, out var code))
            {
                exit = WindowsExitStatus.ToPtyExit(code, _killRequested);
            }

            _exitCollected = true;
            _process.Dispose();
        }

        _exited.TrySetResult(exit);

        // The console host outlives the shell until the console is closed; closing it now
        // ends the output (EOF) like a Unix terminal whose last slave holder has gone.
        BeginCloseConsole();
    }

    /// <summary>Closes the pseudo console once, on a thread of its own (see remarks).</summary>
    private void BeginCloseConsole()
    {
        if (Interlocked.Exchange(ref _consoleClosing, 1) != 0)
        {
            return;
        }

        var closer = new Thread(static state => ((SafePseudoConsoleHandle)state!).Dispose(), CloserStackSize)
        {
            IsBackground = true,
            Name = "conpty-close " + Pid.ToString(CultureInfo.InvariantCulture),
        };
        closer.Start(_console);
    }
}

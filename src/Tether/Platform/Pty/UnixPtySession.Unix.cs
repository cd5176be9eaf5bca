using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Common;

namespace Tether.Platform.Pty;

/// <summary>
/// One program in a Unix pseudo-terminal. Output: <c>UnixPtySession.Reader.cs</c>; input:
/// <c>.Writer.cs</c>; exit: <c>.Reaper.cs</c>.
/// </summary>
/// <remarks>
/// Thread-safety as documented on <see cref="IPtySession"/>. <see cref="_gate"/> guards the
/// output ring, the waiters and the exit/disposed flags; no syscall that can block runs under it.
/// </remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed partial class UnixPtySession : IPtySession
{
    private readonly UnixPlatform _platform;
    private readonly SafeFileHandle _master;
    private readonly Lock _gate = new();

    // Wakes the reader thread out of poll (dispose, output space freed, a writer waiting for POLLOUT).
    private readonly WakePipe _wake;
    private bool _disposed;

    internal UnixPtySession(UnixPlatform platform, SafeFileHandle master, int pid)
    {
        _platform = platform;
        _master = master;
        Pid = pid;
        _outputRing = new PtyOutputRing(_gate, Wake);
        try
        {
            _wake = new WakePipe();
            StartReaper();
            StartReader();
        }
        catch
        {
            // Never leave a child nobody will signal or reap.
            _ = Interop.Libc.Kill(pid, platform.SigKill);
            _wake?.Dispose();
            throw;
        }
    }

    public int Pid { get; }

    public void Resize(int columns, int rows)
    {
        PtyStartOptions.ValidateSize(columns, rows);
        var error = UnixFd.SetWindowSize(_platform, _master, columns, rows);
        if (error != 0)
        {
            throw new PtyException($"Resizing the terminal failed: {Marshal.GetPInvokeErrorMessage(error)}.", error);
        }
    }

    public bool SignalGroup(PtySignal signal)
    {
        var number = _platform.ToNumber(signal);

        // kill(-1) would signal every process we may signal and kill(0) our own group.
        if (Pid <= 0)
        {
            throw new InvalidOperationException("Refusing to signal a process group id <= 0.");
        }

        // Held while the reaper reaps: before that, the leader is alive or a zombie, so its
        // pid cannot have been reused by an unrelated process group (see Reaper.cs).
        lock (_gate)
        {
            if (_reaped)
            {
                return false;
            }

            if (Interop.Libc.Kill(-Pid, number) == 0)
            {
                return true;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error == _platform.ESrch)
            {
                return false;
            }

            throw new PtyException($"Signalling the terminal's process group failed: {Marshal.GetPInvokeErrorMessage(error)}.", error);
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
            _outputRing.Close();
            _writeWaiter?.TrySetResult();
            _writeWaiter = null;
        }

        Wake();

        // The reader thread holds a reference on the master while it polls; once it is gone
        // the close below really closes the fd (and the kernel hangs up the terminal).
        if (_readerThread is { } reader && reader != Thread.CurrentThread)
        {
            reader.Join();
        }

        _master.Dispose();
        _wake.Dispose();
    }

    /// <summary>Makes the reader thread's poll return; coalesces to one pending byte.</summary>
    private void Wake() => _wake.Wake();
}

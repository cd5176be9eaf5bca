using System.Runtime.InteropServices;

namespace Tether.Platform.Pty;

// Reader model: one dedicated, small-stack, non-pool thread per session polls the
// non-blocking master together with the wake pipe and copies output into a fixed 64 KiB
// ring. A blocking read() on the master could not be interrupted by Dispose (a blocked read
// pins the open file, so closing the fd would neither wake the thread nor hang up the
// terminal); poll + self-pipe can. While the ring is full the thread stops polling for
// input, so the kernel's tty buffer fills and the program blocks on write: memory per
// session stays bounded and a slow consumer slows the shell instead of the agent. The same
// poll also waits for POLLOUT on behalf of a writer that got EAGAIN. One thread per session
// is fine for the few shells an agent runs (maxConcurrent); a shared poll thread would save
// threads at the cost of a much harder lifetime story.
// Pacing: while the pump gathers (a flood: bytes buffered, a gathering read pending, its window
// open), a read that found less than RestBelowBytes means the shell's output trickles into the
// terminal's 4 KiB line buffer: waking for every trickle cost a thread switch per ~1.4 KiB of
// base64 output. The thread then sleeps RestMicroseconds before it polls again, and reads what
// gathered meanwhile in fuller buffers. The rest is short enough that the kernel's buffers hold
// what the shell writes meanwhile (a 1 ms rest made `base64` block and cut the throughput by a
// third), and Dispose or a write waits for it at most that long.
internal sealed partial class UnixPtySession
{
    private const int ReaderStackSize = 256 * 1024;

    /// <summary>A read shorter than this, while a gathering read is pending, lets the reader rest (see Pacing above).</summary>
    private const int RestBelowBytes = 3 * 1024;

    /// <summary>How long a rest lasts.</summary>
    private const uint RestMicroseconds = 100;

    private readonly PtyOutputRing _outputRing;
    private long _terminalReads;
    private bool _hungUp;
    private TaskCompletionSource? _writeWaiter;
    private Thread? _readerThread;

    /// <summary>How many reads of the terminal returned bytes (the reader thread counts them; tests read it).</summary>
    internal long TerminalReads => Volatile.Read(ref _terminalReads);

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _outputRing.ReadAsync(buffer, cancellationToken);

    public ValueTask<int> ReadGatheredAsync(Memory<byte> buffer, int minimumBytes, TimeSpan window, CancellationToken cancellationToken) =>
        _outputRing.ReadAsync(buffer, minimumBytes, window, cancellationToken);

    private void StartReader()
    {
        _readerThread = new Thread(ReaderLoop, ReaderStackSize)
        {
            IsBackground = true,
            Name = "pty-reader " + Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _readerThread.Start();
    }

    private unsafe void ReaderLoop()
    {
        bool masterAdded = false, wakeAdded = false;
        try
        {
            _master.DangerousAddRef(ref masterAdded);
            _wake.ReadHandle.DangerousAddRef(ref wakeAdded);
            var masterFd = (int)_master.DangerousGetHandle();
            var wakeFd = (int)_wake.ReadHandle.DangerousGetHandle();
            var fds = stackalloc Interop.Libc.PollFd[2];
            var lastRead = int.MaxValue;
            while (true)
            {
                bool wantInput, wantOutput;
                int freeStart, freeLength, timeoutMs;
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    wantInput = !_outputRing.IsFull;
                    wantOutput = _writeWaiter is not null;
                    if (wantOutput && _hungUp)
                    {
                        // The writer retries and gets the terminal's error instead of waiting forever.
                        _writeWaiter!.TrySetResult();
                        _writeWaiter = null;
                        wantOutput = false;
                    }

                    (freeStart, freeLength) = _outputRing.FreeSpace;

                    // A gathering read's window is kept by this poll's timeout, not by a timer.
                    timeoutMs = _outputRing.GatherTimeoutMs();
                }

                if (wantInput && timeoutMs >= 0 && lastRead < RestBelowBytes)
                {
                    // A short read while the pump gathers: rest, then look at the state again.
                    lastRead = int.MaxValue;
                    _ = Interop.Libc.USleep(RestMicroseconds);
                    continue;
                }

                // A hung-up master reports POLLHUP whatever is asked, so it is only polled
                // when there is room to read (the read then returns data or EOF).
                var events = (short)((wantInput ? _platform.PollIn : 0) | (wantOutput ? _platform.PollOut : 0));
                fds[0] = new Interop.Libc.PollFd { Fd = events != 0 ? masterFd : -1, Events = events };
                fds[1] = new Interop.Libc.PollFd { Fd = wakeFd, Events = (short)_platform.PollIn };
                if (Interop.Libc.Poll(fds, 2, timeoutMs) < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error == _platform.EIntr)
                    {
                        continue;
                    }

                    EndOfOutput();
                    return;
                }

                if ((fds[1].ReturnedEvents & _platform.PollIn) != 0)
                {
                    // Then the state is read again under the lock (see WakePipe).
                    _wake.Drain();
                }

                int masterEvents = (ushort)fds[0].ReturnedEvents;
                if (fds[0].Fd < 0 || masterEvents == 0)
                {
                    continue;
                }

                var trouble = _platform.PollHup | _platform.PollErr | _platform.PollNval;
                if ((masterEvents & (_platform.PollOut | trouble)) != 0 && wantOutput)
                {
                    lock (_gate)
                    {
                        _hungUp |= (masterEvents & trouble) != 0;
                        _writeWaiter?.TrySetResult();
                        _writeWaiter = null;
                    }
                }

                if (!wantInput || (masterEvents & (_platform.PollIn | trouble)) == 0)
                {
                    continue;
                }

                nint read;
                fixed (byte* target = &_outputRing[freeStart])
                {
                    read = Interop.Libc.Read(_master, target, (nuint)freeLength);
                }

                if (read > 0)
                {
                    lastRead = (int)read;
                    Volatile.Write(ref _terminalReads, _terminalReads + 1);
                    lock (_gate)
                    {
                        _outputRing.Commit((int)read);
                    }

                    continue;
                }

                if (read < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error == _platform.EAgain || error == _platform.EIntr)
                    {
                        continue;
                    }
                }

                // 0, EIO (Linux: every slave fd is closed) or another error: end of output.
                EndOfOutput();
                return;
            }
        }
        finally
        {
            if (wakeAdded)
            {
                _wake.ReadHandle.DangerousRelease();
            }

            if (masterAdded)
            {
                _master.DangerousRelease();
            }
        }
    }

    private void EndOfOutput()
    {
        lock (_gate)
        {
            _hungUp = true;
            _outputRing.End();
            _writeWaiter?.TrySetResult();
            _writeWaiter = null;
        }
    }
}

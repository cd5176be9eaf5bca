using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Windows;

// Reader model: one dedicated, small-stack thread per session blocks in ReadFile on the
// console host's output pipe and copies into a fixed 64 KiB ring. While the ring is full the
// thread waits, so the pipe fills and the console host, then the shell, block on output:
// memory stays bounded and a slow consumer slows the shell. After Dispose the thread keeps
// reading and drops what it reads, so the console host can always write its final frame and
// exit (ClosePseudoConsole may wait for that); it ends at EOF (ERROR_BROKEN_PIPE once the
// host has exited) and only then lets the output handle close. A blocking ReadFile is used
// because an anonymous pipe has no overlapped mode; nothing needs to interrupt it, since
// closing the console always ends it.
internal sealed partial class WindowsPtySession
{
    private const int RingSize = 64 * 1024;
    private const int DiscardSize = 4 * 1024;
    private const int ReaderStackSize = 128 * 1024;

    private readonly SafeFileHandle _output;
    private readonly byte[] _ring = GC.AllocateUninitializedArray<byte>(RingSize, pinned: true);
    private readonly ManualResetEventSlim _spaceAvailable = new(initialState: true);
    private int _ringStart;
    private int _ringCount;
    private bool _endOfOutput;
    private TaskCompletionSource? _readWaiter;
    private Thread? _readerThread;

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            TaskCompletionSource waiter;
            lock (_gate)
            {
                if (_ringCount > 0)
                {
                    var wasFull = _ringCount == RingSize;
                    var copied = CopyOutLocked(buffer.Span);
                    if (wasFull)
                    {
                        _spaceAvailable.Set();
                    }

                    return copied;
                }

                if (_endOfOutput || _disposed)
                {
                    return 0;
                }

                if (_readWaiter is not null)
                {
                    throw new InvalidOperationException("Only one ReadAsync may be pending at a time.");
                }

                waiter = _readWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            try
            {
                await waiter.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    if (_readWaiter == waiter)
                    {
                        _readWaiter = null;
                    }
                }

                throw;
            }
        }
    }

    private int CopyOutLocked(Span<byte> destination)
    {
        var total = Math.Min(destination.Length, _ringCount);
        var first = Math.Min(total, RingSize - _ringStart);
        _ring.AsSpan(_ringStart, first).CopyTo(destination);
        _ring.AsSpan(0, total - first).CopyTo(destination[first..]);
        _ringStart = (_ringStart + total) % RingSize;
        _ringCount -= total;
        return total;
    }

    private void ReleaseWaitersLocked()
    {
        _readWaiter?.TrySetResult();
        _readWaiter = null;
    }

    private void StartReader()
    {
        // The reference is taken here, not on the new thread, so a Dispose racing with the
        // start cannot close the handle before the thread holds it; the thread releases it.
        var added = false;
        _output.DangerousAddRef(ref added);
        try
        {
            _readerThread = new Thread(ReaderLoop, ReaderStackSize)
            {
                IsBackground = true,
                Name = "conpty-reader " + Pid.ToString(CultureInfo.InvariantCulture),
            };
            _readerThread.Start();
        }
        catch
        {
            _output.DangerousRelease();
            throw;
        }
    }

    private unsafe void ReaderLoop()
    {
        byte[]? discard = null;
        try
        {
            while (true)
            {
                bool dropping;
                int freeStart = 0, freeLength = 0;
                lock (_gate)
                {
                    dropping = _disposed;
                    if (!dropping)
                    {
                        if (_ringCount == RingSize)
                        {
                            // Set again by ReadAsync (space freed) or Dispose, both under _gate.
                            _spaceAvailable.Reset();
                        }
                        else
                        {
                            freeStart = (_ringStart + _ringCount) % RingSize;
                            freeLength = Math.Min(RingSize - _ringCount, RingSize - freeStart);
                        }
                    }
                }

                if (!dropping && freeLength == 0)
                {
                    _spaceAvailable.Wait();
                    continue;
                }

                bool ok;
                uint read;
                if (dropping)
                {
                    discard ??= new byte[DiscardSize];
                    fixed (byte* target = discard)
                    {
                        ok = Interop.Kernel32.ReadFile(_output, target, DiscardSize, out read, 0);
                    }
                }
                else
                {
                    fixed (byte* target = &_ring[freeStart])
                    {
                        ok = Interop.Kernel32.ReadFile(_output, target, (uint)freeLength, out read, 0);
                    }
                }

                if (!ok)
                {
                    // ERROR_BROKEN_PIPE: the console host has exited. Any other error ends the
                    // output too; the shell's exit is still reported through its handle.
                    _ = Marshal.GetLastPInvokeError();
                    return;
                }

                if (read == 0 || dropping)
                {
                    continue;
                }

                lock (_gate)
                {
                    _ringCount += (int)read;
                    _readWaiter?.TrySetResult();
                    _readWaiter = null;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _endOfOutput = true;
                ReleaseWaitersLocked();
            }

            _output.DangerousRelease();
        }
    }
}

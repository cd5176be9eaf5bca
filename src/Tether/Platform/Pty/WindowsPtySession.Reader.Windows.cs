using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Pty;

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
    private const int DiscardSize = 4 * 1024;
    private const int ReaderStackSize = 128 * 1024;

    private readonly SafeFileHandle _output;
    private readonly PtyOutputRing _outputRing;
    private readonly ManualResetEventSlim _spaceAvailable = new(initialState: true);
    private Thread? _readerThread;

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _outputRing.ReadAsync(buffer, cancellationToken);

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
                        if (_outputRing.IsFull)
                        {
                            // Set again by ReadAsync (space freed) or Dispose, both under _gate.
                            _spaceAvailable.Reset();
                        }
                        else
                        {
                            (freeStart, freeLength) = _outputRing.FreeSpace;
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
                    fixed (byte* target = &_outputRing[freeStart])
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
                    _outputRing.Commit((int)read);
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _outputRing.End();
            }

            _output.DangerousRelease();
        }
    }
}

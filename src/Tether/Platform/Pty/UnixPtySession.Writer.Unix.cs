using System.Runtime.InteropServices;

namespace Tether.Platform.Pty;

internal sealed partial class UnixPtySession
{
    // Serializes writers so keystrokes of two callers never interleave mid-buffer. No
    // AvailableWaitHandle is ever created, so it holds nothing to dispose.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            while (!data.IsEmpty)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var written = WriteSome(data.Span, out var error);
                if (written > 0)
                {
                    data = data[written..];
                }
                else if (error == _platform.EAgain)
                {
                    // The terminal's input queue is full (the program is not reading): wait
                    // for POLLOUT from the reader thread rather than block a pool thread.
                    await WaitWritableAsync(cancellationToken);
                }
                else if (error != _platform.EIntr)
                {
                    throw new PtyException($"Writing to the terminal failed: {Marshal.GetPInvokeErrorMessage(error)}.", error);
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private unsafe int WriteSome(ReadOnlySpan<byte> data, out int error)
    {
        nint written;
        fixed (byte* source = data)
        {
            written = Interop.Libc.Write(_master, source, (nuint)data.Length);
        }

        error = written < 0 ? Marshal.GetLastPInvokeError() : 0;
        return (int)Math.Max(written, 0);
    }

    private async Task WaitWritableAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_hungUp)
            {
                throw new PtyException("Writing to the terminal failed: it has been hung up.", _platform.EIo);
            }

            waiter = _writeWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Wake();
        try
        {
            await waiter.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (_writeWaiter == waiter)
                {
                    _writeWaiter = null;
                }
            }

            throw;
        }
    }
}

namespace Tether.Platform.Pty;

// Input goes to the console host's input pipe through an unbuffered FileStream over the
// synchronous pipe handle (an anonymous pipe has no overlapped mode): the runtime runs each
// write on a pool thread. The token is only checked before a write starts; a write already
// blocked ends when the host reads (it drains its input pipe continuously) or exits, which
// closing the console always brings about.
internal sealed partial class WindowsPtySession
{
    private const byte CtrlC = 0x03;

    // Serializes writers so keystrokes of two callers never interleave mid-buffer. No
    // AvailableWaitHandle is ever created, so it holds nothing to dispose.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly FileStream _input;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            await _input.WriteAsync(data, cancellationToken);
        }
        catch (IOException e) when (e is not PtyException)
        {
            // ERROR_NO_DATA / ERROR_BROKEN_PIPE: the console was closed (hung up or exited).
            throw new PtyException("Writing to the pseudo console failed: it has been closed.", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Types Ctrl-C, which the console turns into CTRL_C_EVENT for its programs.</summary>
    private bool Interrupt()
    {
        lock (_gate)
        {
            if (_exitCollected || _disposed)
            {
                return false;
            }
        }

        _writeLock.Wait();
        try
        {
            _input.Write([CtrlC]);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }
}

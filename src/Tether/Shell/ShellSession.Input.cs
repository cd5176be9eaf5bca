using System.Threading.Channels;
using Tether.Platform.Pty;

namespace Tether.Shell;

// Input: handlers run on the receive loop and must not block, but a write waits when the
// program does not read its terminal. So keystrokes are queued and one writer per session
// feeds them to the PTY in order; the queue is bounded in bytes.
internal sealed partial class ShellSession
{
    private readonly Channel<byte[]> _input = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private long _pendingInput;

    /// <summary>Queues keystrokes; false when the queue is over its byte limit (the data is dropped).</summary>
    public bool EnqueueInput(byte[] data)
    {
        if (data.Length == 0)
        {
            return true;
        }

        if (Interlocked.Add(ref _pendingInput, data.Length) > _options.MaxPendingInputBytes)
        {
            Interlocked.Add(ref _pendingInput, -data.Length);
            return false;
        }

        return _input.Writer.TryWrite(data);
    }

    private async Task WriteInputAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var data in _input.Reader.ReadAllAsync(ct))
            {
                Interlocked.Add(ref _pendingInput, -data.Length);
                await _pty.WriteAsync(data, ct);
            }
        }
        catch (PtyException ex)
        {
            // Hung up: the shell is ending; its lifetime reports that.
            LogInputStopped(Id, ex.Message);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _input.Writer.TryComplete();
        }
    }
}

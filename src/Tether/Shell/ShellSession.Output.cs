using Tether.Protocol;

namespace Tether.Shell;

// Output: one pump per session reads the terminal, decodes and frames the bytes and awaits
// Outbox.SendLiveAsync for each frame. That await is the backpressure: while the socket is
// slower than the shell, the pump stops reading, the PTY's 64 KiB ring fills, the kernel's tty
// buffer fills and the shell blocks on write, so memory stays bounded (ring + one 64 KiB chunk
// + the outbox's bounded live queue). While disconnected SendLiveAsync returns false at once:
// the output of the gap is dropped (docs/protocol.md §3: not replayed) and the shell never stalls.
// Coalescing: after an event of at least BulkBytes, the next read gathers until 64 KiB are
// buffered or CoalesceWindow has passed since the read began (IPtySession.ReadGatheredAsync);
// otherwise the first read goes out at once, so a keystroke echo waits for nothing, also while
// the operator types fast.
internal sealed partial class ShellSession
{
    /// <summary>An event at least this big means bulk output (an echo or a prompt is far smaller).</summary>
    private const int BulkBytes = 1024;

    private readonly ShellOutputEncoder _output;
    private long _bytesRead;
    private long _reads;
    private long _events;

    private async Task PumpOutputAsync(CancellationToken ct)
    {
        // The decoder may carry up to 3 bytes of a split character into the next chunk; keep
        // the chunk 3 short so an event never stands for more than 64 KiB.
        var buffer = new byte[ShellSessionOptions.MaxRawBytesPerEvent - 3];
        var frames = new List<byte[]>();
        var lastSize = 0;
        while (true)
        {
            // After a bulk event, gather: the PTY wakes this pump once the buffer's worth is there
            // or CoalesceWindow has passed over buffered bytes (kept by the PTY's reader thread,
            // no timer), not for every 4 KiB terminal read. A byte arriving later than the window
            // (a keystroke's echo after the flood) goes at once.
            var bulk = lastSize >= BulkBytes;
            var filled = bulk
                ? await _pty.ReadGatheredAsync(buffer, buffer.Length, _options.CoalesceWindow, ct)
                : await _pty.ReadAsync(buffer, ct);
            if (filled == 0)
            {
                await SendAsync(ReadOnlyMemory<byte>.Empty, final: true, frames, ct);
                return;
            }

            _reads++;
            _bytesRead += filled;
            await SendAsync(buffer.AsMemory(0, filled), final: false, frames, ct);
            lastSize = filled;
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> raw, bool final, List<byte[]> frames, CancellationToken ct)
    {
        frames.Clear();
        _output.Encode(raw.Span, final, frames);
        foreach (var frame in frames)
        {
            // False = disconnected: dropped, by contract.
            if (await _outbox.SendLiveAsync(new OutboundEvent(ShellOutputEncoder.EventName, frame, Durable: false), ct))
            {
                _events++;
            }
        }
    }

    /// <summary>Lets the pump deliver what the shell wrote before it ended, for at most the drain timeout.</summary>
    private async Task FinishOutputAsync(Task pump, TimeSpan timeout)
    {
        try
        {
            await pump.WaitAsync(timeout, _time);
        }
        catch (TimeoutException)
        {
            // A process outside the session still holds the terminal, or the socket is stuck:
            // stop here; the terminal is closed under the pump.
        }
    }
}

using Tether.Protocol;

namespace Tether.Shell;

// Output: one pump per session reads the terminal, decodes and frames the bytes and awaits
// Outbox.SendLiveAsync for each frame. That await is the backpressure: while the socket is
// slower than the shell, the pump stops reading, the PTY's 64 KiB ring fills, the kernel's tty
// buffer fills and the shell blocks on write, so memory stays bounded (ring + one 64 KiB chunk
// + the outbox's bounded live queue). While disconnected SendLiveAsync returns false at once:
// the output of the gap is dropped (docs/protocol.md §3: not replayed) and the shell never stalls.
// Coalescing: while bulk output keeps coming (the previous event was sent less than
// CoalesceWindow ago and carried at least BulkBytes), reads are gathered for CoalesceWindow or
// until 64 KiB; otherwise the first read goes out at once, so a keystroke echo waits for
// nothing, also while the operator types fast.
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
        var lastSend = long.MinValue;
        var lastSize = 0;
        while (true)
        {
            var filled = await ReadAsync(buffer, gather: false, ct);
            if (filled == 0)
            {
                await SendAsync(ReadOnlyMemory<byte>.Empty, final: true, frames, ct);
                return;
            }

            var start = _time.GetTimestamp();
            var streaming = lastSize >= BulkBytes && _time.GetElapsedTime(lastSend, start) < _options.CoalesceWindow;
            var ended = false;
            if (streaming && filled < buffer.Length)
            {
                (filled, ended) = await GatherAsync(buffer, filled, _options.CoalesceWindow, ct);
            }

            await SendAsync(buffer.AsMemory(0, filled), final: ended, frames, ct);
            lastSend = _time.GetTimestamp();
            lastSize = filled;
            if (ended)
            {
                return;
            }
        }
    }

    /// <summary>Reads more into <paramref name="buffer"/> until it is full, <paramref name="window"/> has passed, or the output ends.</summary>
    /// <remarks>
    /// The PTY wakes this pump once the rest of the buffer is there (or the window closes), not
    /// for every read of the terminal: a flood costs one wake-up per event, not one per 4 KiB read.
    /// </remarks>
    private async Task<(int Filled, bool Ended)> GatherAsync(byte[] buffer, int filled, TimeSpan window, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(window, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            while (filled < buffer.Length && !linked.IsCancellationRequested)
            {
                var n = await ReadAsync(buffer.AsMemory(filled), gather: true, linked.Token);
                if (n == 0)
                {
                    return (filled, true);
                }

                filled += n;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The window closed with nothing more buffered; the PTY keeps what comes later.
        }

        return (filled, false);
    }

    private async ValueTask<int> ReadAsync(Memory<byte> buffer, bool gather, CancellationToken ct)
    {
        var n = gather ? await _pty.ReadGatheredAsync(buffer, buffer.Length, ct) : await _pty.ReadAsync(buffer, ct);
        if (n > 0)
        {
            _reads++;
            _bytesRead += n;
        }

        return n;
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

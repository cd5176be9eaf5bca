using System.Diagnostics;

namespace Tether.Platform.Pty;

/// <summary>
/// The bounded output buffer between a pseudo-terminal session's reader thread and its one
/// <see cref="IPtySession.ReadAsync"/> caller: a fixed, pinned ring of <see cref="Capacity"/>
/// bytes. While it is full the reader thread stops reading, so the terminal's own buffer fills
/// and the program blocks on its writes: memory per session stays bounded and a slow consumer
/// slows the shell, not the agent. Shared by the Unix and the Windows session.
/// </summary>
/// <remarks>
/// Thread-safety: every member but <see cref="ReadAsync"/> is called with the session's lock
/// (<c>gate</c>) held; <see cref="ReadAsync"/> takes that lock itself. The free space may be
/// filled outside the lock by the one reader thread (no one else writes there), then
/// <see cref="Commit"/>ted under it. <c>spaceFreed</c> wakes the reader thread: after a read
/// frees space in a full ring, and when a gathering read starts over buffered bytes.
/// </remarks>
internal sealed class PtyOutputRing(Lock gate, Action spaceFreed)
{
    public const int Capacity = 64 * 1024;

    private readonly byte[] _ring = GC.AllocateUninitializedArray<byte>(Capacity, pinned: true);
    private int _start;
    private int _count;
    private bool _ended;
    private bool _closed;
    private TaskCompletionSource? _readWaiter;
    private int _wakeAt = 1;
    private long _deadline;

    public bool IsFull => _count == Capacity;

    /// <summary>Where the contiguous free space after the buffered bytes starts, and its length (0 when full).</summary>
    public (int Offset, int Length) FreeSpace
    {
        get
        {
            int offset = (_start + _count) % Capacity;
            return (offset, Math.Min(Capacity - _count, Capacity - offset));
        }
    }

    /// <summary>The storage at <paramref name="offset"/>, for a native read into <see cref="FreeSpace"/> (the array is pinned).</summary>
    public ref byte this[int offset] => ref _ring[offset];

    /// <summary>Makes <paramref name="count"/> bytes just read into <see cref="FreeSpace"/> readable and wakes the pending read.</summary>
    public void Commit(int count)
    {
        System.Diagnostics.Debug.Assert(count > 0 && count <= FreeSpace.Length, "a read of at most the free space");
        _count += count;
        if (_count >= _wakeAt || (_wakeAt > 1 && Stopwatch.GetTimestamp() >= _deadline))
        {
            ReleaseReader();
        }
    }

    /// <summary>No more output comes: once the buffered bytes are read, reads return 0.</summary>
    public void End()
    {
        _ended = true;
        ReleaseReader();
    }

    /// <summary>The session is disposed: a pending read returns; buffered bytes can still be read, then 0.</summary>
    public void Close()
    {
        _closed = true;
        ReleaseReader();
    }

    /// <summary>
    /// Copies buffered output into <paramref name="buffer"/>, waiting for some when none is
    /// buffered; 0 once the output has ended or the session is closed and nothing is left.
    /// When the read frees space in a full ring, <c>spaceFreed</c> wakes the reader thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read is pending.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; no data is lost.</exception>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        ReadAsync(buffer, 1, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// The same, but gathering: a waiting read is woken once <paramref name="minimumBytes"/> (at
    /// most the buffer's length and <see cref="Capacity"/>) are buffered, or the output ended, or
    /// some bytes are buffered and <paramref name="window"/> has passed since the call. The
    /// reader thread keeps that time (<see cref="GatherTimeoutMs"/>): no timer is involved.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read is pending.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; no data is lost.</exception>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, int minimumBytes, TimeSpan window, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var enough = Math.Clamp(Math.Min(minimumBytes, buffer.Length), 1, Capacity);
        var deadline = Stopwatch.GetTimestamp() + (long)(window.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            TaskCompletionSource waiter;
            lock (gate)
            {
                if (_count >= enough || (_count > 0 && (_ended || _closed || Stopwatch.GetTimestamp() >= deadline)))
                {
                    return CopyOutAndWake(buffer.Span);
                }

                if (_ended || _closed)
                {
                    return 0;
                }

                if (_readWaiter is not null)
                {
                    throw new InvalidOperationException("Only one ReadAsync may be pending at a time.");
                }

                waiter = _readWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _wakeAt = enough;
                _deadline = deadline;
                if (enough > 1 && _count > 0)
                {
                    // The reader thread may already wait on the terminal with no time limit (no read
                    // was pending when it computed one): wake it so it takes this window's deadline,
                    // or the buffered bytes would wait for more output that may never come.
                    spaceFreed();
                }
            }

            try
            {
                await waiter.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                lock (gate)
                {
                    if (_readWaiter == waiter)
                    {
                        ReleaseReader();
                    }
                }

                throw;
            }

            // Woken: by enough bytes, the window, the end or the close; take whatever is there now.
            enough = 1;
        }
    }

    /// <summary>
    /// Reader thread, under the lock, before it waits for the terminal: how long it may wait
    /// before a gathering read's window closes over buffered bytes (milliseconds, rounded up),
    /// or -1 for no limit. A read whose window has closed is woken here.
    /// </summary>
    public int GatherTimeoutMs()
    {
        if (_readWaiter is null || _wakeAt <= 1 || _count == 0)
        {
            return -1;
        }

        var left = _deadline - Stopwatch.GetTimestamp();
        if (left <= 0)
        {
            ReleaseReader();
            return -1;
        }

        return (int)Math.Min(int.MaxValue, (left * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
    }

    /// <summary>Under the lock: copies out and, when that frees space in a full ring, wakes the reader thread.</summary>
    private int CopyOutAndWake(Span<byte> destination)
    {
        var wasFull = IsFull;
        var copied = CopyOut(destination);
        if (wasFull && !_ended)
        {
            spaceFreed();
        }

        return copied;
    }

    private int CopyOut(Span<byte> destination)
    {
        var total = Math.Min(destination.Length, _count);
        var first = Math.Min(total, Capacity - _start);
        _ring.AsSpan(_start, first).CopyTo(destination);
        _ring.AsSpan(0, total - first).CopyTo(destination[first..]);
        _start = (_start + total) % Capacity;
        _count -= total;
        return total;
    }

    private void ReleaseReader()
    {
        _readWaiter?.TrySetResult();
        _readWaiter = null;
        _wakeAt = 1;
    }
}

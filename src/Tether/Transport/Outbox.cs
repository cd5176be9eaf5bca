using Microsoft.Extensions.Logging;
using Tether.Protocol;

namespace Tether.Transport;

/// <summary>
/// Everything the agent sends goes through here and is drained by the connection's one sender
/// loop, in the order it was posted.
/// <list type="bullet">
/// <item>Durable results wait for a <c>hello_ack</c>, survive outages (bounded at
/// <see cref="DurableCapacity"/>, oldest dropped first with an error log) and leave the queue
/// only after a send completed, so a drop mid-send resends rather than loses (docs/protocol.md §7).</item>
/// <item>Live events are refused while disconnected and are bounded at <see cref="LiveCapacity"/>:
/// <see cref="SendLiveAsync"/> waits for room, which slows a fast producer (shell output) to the
/// socket's pace instead of growing memory.</item>
/// </list>
/// A post that finds the sender loop parked resumes it on the poster's own thread: the loop takes
/// and sends that one event there (a socket with room completes the write at once) and parks again,
/// so an idle agent's once-a-second <c>stats</c> wakes no thread-pool worker, and a result leaves
/// without a thread hand-off. When more is queued by then, the loop goes on on the thread pool, so
/// a poster (the receive loop, the stats thread) sends one event at most and never a whole flood
/// (bench/RESULTS.md, issue 13).
/// Thread-safety: all members may be called from any thread; <see cref="TakeAsync"/> from the one
/// sender loop.
/// </summary>
internal sealed class Outbox(ILogger<Outbox> log)
{
    public const int DurableCapacity = 1000;
    public const int LiveCapacity = 64;

    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _durable = new();
    private readonly Queue<Entry> _live = new();
    private readonly SemaphoreSlim _liveRoom = new(LiveCapacity, LiveCapacity);
    private TaskCompletionSource? _takeWaiter;
    private TaskCompletionSource? _drainWaiter;
    private bool _resumedByPoster;
    private long _sequence;
    private bool _connected;
    private bool _ready;

    public int DurableCount
    {
        get
        {
            lock (_gate)
            {
                return _durable.Count;
            }
        }
    }

    public bool IsReady
    {
        get
        {
            lock (_gate)
            {
                return _ready;
            }
        }
    }

    /// <summary>True while the sender loop waits for something to take (tests use it to post to a parked loop).</summary>
    internal bool SenderParked
    {
        get
        {
            lock (_gate)
            {
                return _takeWaiter is not null;
            }
        }
    }

    /// <summary>
    /// Called with each result just queued, on the poster's thread (unit tests answer a result
    /// there, before the poster goes on, to prove what the agent accepts at that moment).
    /// </summary>
    internal Action<OutboundEvent>? DurablePosted { get; init; }

    /// <summary>Queues a result that must reach the server, now or after the next <c>hello_ack</c>.</summary>
    public void PostDurable(OutboundEvent e)
    {
        OutboundEvent? dropped = null;
        TaskCompletionSource? taker = null;
        lock (_gate)
        {
            if (_durable.Count >= DurableCapacity)
            {
                dropped = _durable.First!.Value.Event;
                _durable.RemoveFirst();
            }

            _durable.AddLast(new Entry(e, ++_sequence));
            if (_ready)
            {
                taker = DetachTaker();
            }
        }

        if (dropped is not null)
        {
            log.LogError("outbound queue full ({Capacity} results); dropped the oldest {Event}", DurableCapacity, dropped.Name);
        }

        taker?.TrySetResult();

        DurablePosted?.Invoke(e);
    }

    /// <summary>Posts a live event without waiting; false when disconnected or full (the event is dropped).</summary>
    public bool TryPostLive(OutboundEvent e)
    {
        if (!_liveRoom.Wait(0))
        {
            return false;
        }

        return EnqueueLive(e);
    }

    /// <summary>Posts a live event, waiting for room; false when disconnected (the event is dropped).</summary>
    public async ValueTask<bool> SendLiveAsync(OutboundEvent e, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_connected)
            {
                return false;
            }
        }

        await _liveRoom.WaitAsync(ct);
        return EnqueueLive(e);
    }

    private bool EnqueueLive(OutboundEvent e)
    {
        TaskCompletionSource? taker;
        lock (_gate)
        {
            if (!_connected)
            {
                _liveRoom.Release();
                return false;
            }

            _live.Enqueue(new Entry(e, ++_sequence));
            taker = DetachTaker();
        }

        taker?.TrySetResult();
        return true;
    }

    /// <summary>Connection loop: a new connection is up (live events accepted from now on).</summary>
    public void OnConnected()
    {
        lock (_gate)
        {
            _connected = true;
            _ready = false;
        }
    }

    /// <summary>Connection loop: <c>hello_ack</c> arrived; queued results may go.</summary>
    public void OnReady()
    {
        TaskCompletionSource? taker;
        lock (_gate)
        {
            _ready = true;
            taker = DetachTaker();
        }

        taker?.TrySetResult();
    }

    /// <summary>Connection loop: the connection is gone; pending live events are dropped.</summary>
    public void OnDisconnected()
    {
        lock (_gate)
        {
            _connected = false;
            _ready = false;
            int n = _live.Count;
            _live.Clear();
            if (n > 0)
            {
                _liveRoom.Release(n);
            }

            WakeDrainWaiter();
        }
    }

    /// <summary>
    /// Sender loop: the next event in posting order (durable ones only once ready). A durable
    /// event stays queued until <see cref="Complete"/>. Parked, it resumes on the thread of the
    /// post that ends the wait; the call after that moves to the thread pool first when there is
    /// more to take (see the class remarks).
    /// </summary>
    public async ValueTask<OutboundEvent> TakeAsync(CancellationToken ct)
    {
        if (_resumedByPoster)
        {
            _resumedByPoster = false;
            if (HasSendable())
            {
                await Task.Yield();
            }
        }

        while (true)
        {
            Task wait;
            lock (_gate)
            {
                Entry? durable = _ready && _durable.First is { } first ? first.Value : null;
                Entry? live = _live.Count > 0 ? _live.Peek() : null;
                if (live is not null && (durable is null || live.Sequence < durable.Sequence))
                {
                    _live.Dequeue();
                    _liveRoom.Release();
                    return live.Event;
                }

                if (durable is not null)
                {
                    return durable.Event;
                }

                WakeDrainWaiter();

                // Continuations run synchronously: the post that completes this resumes the loop on its thread.
                _takeWaiter ??= new TaskCompletionSource();
                wait = _takeWaiter.Task;
            }

            await wait.WaitAsync(ct);
            _resumedByPoster = true;
        }
    }

    private bool HasSendable()
    {
        lock (_gate)
        {
            return _live.Count > 0 || (_ready && _durable.Count > 0);
        }
    }

    /// <summary>Sender loop: <paramref name="e"/> was written to the socket (or was dropped as unsendable).</summary>
    public void Complete(OutboundEvent e)
    {
        if (!e.Durable)
        {
            return;
        }

        lock (_gate)
        {
            for (var node = _durable.First; node is not null; node = node.Next)
            {
                if (ReferenceEquals(node.Value.Event, e))
                {
                    _durable.Remove(node);
                    break;
                }
            }

            if (_durable.Count == 0 && _live.Count == 0)
            {
                WakeDrainWaiter();
            }
        }
    }

    /// <summary>Completes when nothing sendable is pending (used at shutdown), or the connection is gone.</summary>
    public Task WaitDrainedAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_connected || (_live.Count == 0 && (!_ready || _durable.Count == 0)))
            {
                return Task.CompletedTask;
            }

            _drainWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drainWaiter.Task.WaitAsync(ct);
        }
    }

    /// <summary>Under the lock: the parked sender's waiter, to complete once the lock is released.</summary>
    private TaskCompletionSource? DetachTaker()
    {
        var taker = _takeWaiter;
        _takeWaiter = null;
        return taker;
    }

    private void WakeDrainWaiter()
    {
        _drainWaiter?.TrySetResult();
        _drainWaiter = null;
    }

    private sealed record Entry(OutboundEvent Event, long Sequence);
}

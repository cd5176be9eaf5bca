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
/// Thread-safety: all members may be called from any thread.
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

    /// <summary>
    /// Called with each result just queued, on the poster's thread (unit tests answer a result
    /// there, before the poster goes on, to prove what the agent accepts at that moment).
    /// </summary>
    internal Action<OutboundEvent>? DurablePosted { get; init; }

    /// <summary>Queues a result that must reach the server, now or after the next <c>hello_ack</c>.</summary>
    public void PostDurable(OutboundEvent e)
    {
        OutboundEvent? dropped = null;
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
                WakeTaker();
            }
        }

        if (dropped is not null)
        {
            log.LogError("outbound queue full ({Capacity} results); dropped the oldest {Event}", DurableCapacity, dropped.Name);
        }

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
        lock (_gate)
        {
            if (!_connected)
            {
                _liveRoom.Release();
                return false;
            }

            _live.Enqueue(new Entry(e, ++_sequence));
            WakeTaker();
            return true;
        }
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
        lock (_gate)
        {
            _ready = true;
            WakeTaker();
        }
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
    /// event stays queued until <see cref="Complete"/>.
    /// </summary>
    public async ValueTask<OutboundEvent> TakeAsync(CancellationToken ct)
    {
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
                _takeWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _takeWaiter.Task;
            }

            await wait.WaitAsync(ct);
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

    private void WakeTaker()
    {
        _takeWaiter?.TrySetResult();
        _takeWaiter = null;
    }

    private void WakeDrainWaiter()
    {
        _drainWaiter?.TrySetResult();
        _drainWaiter = null;
    }

    private sealed record Entry(OutboundEvent Event, long Sequence);
}

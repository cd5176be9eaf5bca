namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// Append-only list whose readers wait for items with a deadline, including items that
/// arrived before they started waiting.
/// </summary>
/// <remarks>Thread-safe: one or more writers (process reader loops) and any number of waiters.</remarks>
internal sealed class WaitableLog<T>
{
    private readonly object _gate = new();
    private readonly List<T> _items = [];
    private TaskCompletionSource _changed = NewSignal();
    private string? _closedReason;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    /// <summary>Appends an item and returns its index.</summary>
    public int Add(T item)
    {
        TaskCompletionSource signal;
        int index;
        lock (_gate)
        {
            index = _items.Count;
            _items.Add(item);
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return index;
    }

    /// <summary>Adds an item built from the index it will get.</summary>
    public T Add(Func<int, T> create)
    {
        TaskCompletionSource signal;
        T item;
        lock (_gate)
        {
            item = create(_items.Count);
            _items.Add(item);
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return item;
    }

    /// <summary>No more items will come (the writer died); waiters fail at once with the reason.</summary>
    public void Close(string reason)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _closedReason = reason;
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>Items may come again (the writer was restarted).</summary>
    public void Reopen()
    {
        lock (_gate)
        {
            _closedReason = null;
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> items at index <paramref name="fromIndex"/> or later
    /// match, and returns the first <paramref name="count"/> of them.
    /// </summary>
    public async Task<IReadOnlyList<T>> WaitAsync(
        Func<T, bool> match,
        int count,
        int fromIndex,
        TimeSpan timeout,
        Func<string> describeWait,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(describeWait);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(fromIndex);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var found = new List<T>(count);
        var scanned = fromIndex;
        while (true)
        {
            Task changed;
            string? closed;
            lock (_gate)
            {
                for (; scanned < _items.Count; scanned++)
                {
                    if (match(_items[scanned]))
                    {
                        found.Add(_items[scanned]);
                        if (found.Count == count)
                        {
                            return found;
                        }
                    }
                }

                changed = _changed.Task;
                closed = _closedReason;
            }

            if (closed is not null)
            {
                throw new InvalidOperationException(
                    $"Gave up waiting for {describeWait()} ({found.Count} of {count} seen): {closed}");
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Timed out after {timeout.TotalSeconds:0.###} s waiting for {describeWait()} ({found.Count} of {count} seen).");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

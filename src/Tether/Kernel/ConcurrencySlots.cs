namespace Tether.Kernel;

/// <summary>
/// The <c>admin.maxConcurrent</c> slots that shells and admin commands share (docs/protocol.md §4).
/// Acquiring never waits (a shell start or command that finds no slot is refused as busy, it
/// never queues), and a lease gives its slot back exactly once however often it is disposed —
/// the Go port's double release let more work run than the operator allowed.
/// Thread-safety: all members may be called from any thread.
/// </summary>
internal sealed class ConcurrencySlots
{
    private readonly int _capacity;
    private int _inUse;

    public ConcurrencySlots(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Capacity => _capacity;

    public int InUse => Volatile.Read(ref _inUse);

    /// <summary>A lease on one slot, or null when all are taken.</summary>
    public Lease? TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref _inUse);
            if (current >= _capacity)
            {
                return null;
            }

            if (Interlocked.CompareExchange(ref _inUse, current + 1, current) == current)
            {
                return new Lease(this);
            }
        }
    }

    private void Release() => Interlocked.Decrement(ref _inUse);

    /// <summary>One held slot; disposing it releases the slot once.</summary>
    internal sealed class Lease : IDisposable
    {
        private ConcurrencySlots? _owner;

        public Lease(ConcurrencySlots owner) => _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
    }
}

using Tether.Kernel;

namespace Tether.Tests.Kernel;

public sealed class ConcurrencySlotsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_CapacityBelowOne_Throws(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrencySlots(capacity));

    [Fact]
    public void TryAcquire_GivesCapacityLeases_ThenRefusesWithoutWaiting()
    {
        var slots = new ConcurrencySlots(2);

        using var first = slots.TryAcquire();
        using var second = slots.TryAcquire();
        var third = slots.TryAcquire();

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.Equal(2, slots.Capacity);
        Assert.Equal(2, slots.InUse);
    }

    [Fact]
    public void Lease_Disposed_GivesItsSlotBackForTheNextAcquire()
    {
        var slots = new ConcurrencySlots(1);
        var lease = slots.TryAcquire();
        Assert.Null(slots.TryAcquire());

        lease!.Dispose();

        Assert.Equal(0, slots.InUse);
        using var again = slots.TryAcquire();
        Assert.NotNull(again);
    }

    [Fact]
    public void Lease_DisposedTwice_ReleasesItsSlotOnlyOnce()
    {
        var slots = new ConcurrencySlots(2);
        var twice = slots.TryAcquire()!;
        using var held = slots.TryAcquire();

        twice.Dispose();
        twice.Dispose();

        // A double release would count InUse down to 0 and let two more leases in.
        Assert.Equal(1, slots.InUse);
        using var third = slots.TryAcquire();
        Assert.NotNull(third);
        Assert.Null(slots.TryAcquire());
    }

    [Fact]
    public void Lease_DisposedTwiceFromManyThreads_ReleasesOnlyOnce()
    {
        var slots = new ConcurrencySlots(3);
        using var kept = slots.TryAcquire();
        var lease = slots.TryAcquire()!;

        Parallel.For(0, 64, _ => lease.Dispose());

        Assert.Equal(1, slots.InUse);
    }

    [Fact]
    public void ConcurrentAcquireAndRelease_NeverHoldsMoreThanCapacity_AndLeaksNoSlot()
    {
        const int Capacity = 3;
        var slots = new ConcurrencySlots(Capacity);
        int held = 0;
        int maxHeld = 0;
        int granted = 0;

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            var lease = slots.TryAcquire();
            if (lease is null)
            {
                return;
            }

            Interlocked.Increment(ref granted);
            int now = Interlocked.Increment(ref held);
            int seen;
            while (now > (seen = Volatile.Read(ref maxHeld)) && Interlocked.CompareExchange(ref maxHeld, now, seen) != seen)
            {
            }

            Interlocked.Decrement(ref held);
            lease.Dispose();
            lease.Dispose();
        });

        Assert.True(granted > 0);
        Assert.InRange(maxHeld, 1, Capacity);
        Assert.Equal(0, slots.InUse);
        var all = Enumerable.Range(0, Capacity).Select(_ => slots.TryAcquire()).ToList();
        Assert.All(all, Assert.NotNull);
        Assert.Null(slots.TryAcquire());
        all.ForEach(l => l!.Dispose());
    }
}

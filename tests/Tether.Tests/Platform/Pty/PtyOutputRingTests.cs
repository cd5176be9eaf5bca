using Tether.Platform.Pty;

namespace Tether.Tests.Platform.Pty;

public sealed class PtyOutputRingTests
{
    private readonly Lock _gate = new();
    private int _spaceFreed;

    private PtyOutputRing NewRing() => new(_gate, () => _spaceFreed++);

    private void Fill(PtyOutputRing ring, byte first, int count)
    {
        lock (_gate)
        {
            var (offset, length) = ring.FreeSpace;
            Assert.True(count <= length, $"{count} bytes fit in the free space {length}");
            for (int i = 0; i < count; i++)
            {
                ring[offset + i] = (byte)(first + i);
            }

            ring.Commit(count);
        }
    }

    [Fact]
    public async Task Read_ReturnsWhatWasCommitted_InOrder_AcrossTheWrap()
    {
        var ring = NewRing();
        Fill(ring, 0, PtyOutputRing.Capacity - 10);
        var sink = new byte[PtyOutputRing.Capacity];
        Assert.Equal(PtyOutputRing.Capacity - 10, await ring.ReadAsync(sink, CancellationToken.None));

        // 10 bytes left before the end of the array, then the free space starts again at 0.
        Assert.Equal((PtyOutputRing.Capacity - 10, 10), ring.FreeSpace);
        Fill(ring, 100, 10);
        Assert.Equal((0, PtyOutputRing.Capacity - 10), ring.FreeSpace);
        Fill(ring, 110, 5);

        var read = new byte[32];
        Assert.Equal(15, await ring.ReadAsync(read, CancellationToken.None));
        Assert.Equal(Enumerable.Range(100, 15).Select(b => (byte)b), read[..15]);
    }

    [Fact]
    public async Task GatheredRead_IsWokenOnlyOnceTheMinimumIsBuffered_ThenTakesAllOfIt()
    {
        var ring = NewRing();
        var sink = new byte[1000];
        var read = ring.ReadAsync(sink, 600, TimeSpan.FromHours(1), CancellationToken.None).AsTask();
        Fill(ring, 0, 100);
        Fill(ring, 100, 100);
        Assert.False(read.IsCompleted); // 200 of 600: a plain read would have returned at the first commit
        Fill(ring, 200, 50);
        Fill(ring, 250, 100);
        Fill(ring, 94, 250);
        Assert.Equal(600, await read);
        Assert.Equal(Enumerable.Range(0, 600).Select(b => (byte)b), sink[..600]);

        // Nothing pending: the next plain read is woken by a single byte again.
        var plain = ring.ReadAsync(sink, CancellationToken.None).AsTask();
        Fill(ring, 7, 1);
        Assert.Equal(1, await plain);
    }

    [Fact]
    public async Task GatheredRead_TellsTheReaderThreadHowLongItMayWait_OnlyWhileBytesAreBuffered()
    {
        var ring = NewRing();
        var sink = new byte[1000];
        var read = ring.ReadAsync(sink, 600, TimeSpan.FromHours(1), CancellationToken.None).AsTask();
        lock (_gate)
        {
            Assert.Equal(-1, ring.GatherTimeoutMs()); // nothing buffered: the window does not matter yet
        }

        Fill(ring, 0, 10);
        lock (_gate)
        {
            Assert.InRange(ring.GatherTimeoutMs(), 1, 3_600_000);
        }

        Assert.False(read.IsCompleted);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var cancelled = ring.ReadAsync(sink, 600, TimeSpan.FromHours(1), cts.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await cancelled); // one read at a time
    }

    /// <summary>
    /// The reader thread computes its poll timeout before it waits; a gathering read that starts
    /// after that, over bytes already buffered, must wake it, or it waits on the terminal with no
    /// limit and the bytes stay until more output comes (a stalled terminal, seen in CI).
    /// </summary>
    [Fact]
    public void GatheredRead_StartingOverBufferedBytes_WakesTheReaderThreadToTakeItsWindow()
    {
        var ring = NewRing();
        var sink = new byte[1000];
        Fill(ring, 0, 10);
        lock (_gate)
        {
            Assert.Equal(-1, ring.GatherTimeoutMs()); // what the reader thread saw: no read pending
        }

        var read = ring.ReadAsync(sink, 600, TimeSpan.FromHours(1), CancellationToken.None).AsTask();

        Assert.False(read.IsCompleted);
        Assert.Equal(1, _spaceFreed);
        lock (_gate)
        {
            Assert.InRange(ring.GatherTimeoutMs(), 1, 3_600_000);
        }
    }

    [Fact]
    public void GatheredRead_OverAnEmptyRing_DoesNotWakeTheReaderThread()
    {
        var ring = NewRing();
        _ = ring.ReadAsync(new byte[1000], 600, TimeSpan.FromHours(1), CancellationToken.None).AsTask();
        Assert.Equal(0, _spaceFreed);
    }

    [Fact]
    public async Task GatheredRead_ABytePastTheWindow_IsReturnedAtOnce_AndTheReaderThreadEndsAnExpiredWindow()
    {
        var ring = NewRing();
        var sink = new byte[1000];

        // The window has passed before anything came: the first commit wakes the read (an echo after a flood).
        var late = ring.ReadAsync(sink, 600, TimeSpan.Zero, CancellationToken.None).AsTask();
        Fill(ring, 0, 3);
        Assert.Equal(3, await late);

        // Bytes buffered, then the window closes with no further commit: the reader thread's check ends it.
        var read = ring.ReadAsync(sink, 600, TimeSpan.FromMilliseconds(1), CancellationToken.None).AsTask();
        Fill(ring, 0, 5);
        while (!read.IsCompleted)
        {
            lock (_gate)
            {
                _ = ring.GatherTimeoutMs();
            }

            await Task.Delay(1);
        }

        Assert.InRange(await read, 5, 5);
    }

    [Fact]
    public async Task Full_ReportsNoFreeSpace_AndAReadThatFreesSpaceWakesTheReaderThread()
    {
        var ring = NewRing();
        Fill(ring, 0, PtyOutputRing.Capacity);
        Assert.True(ring.IsFull);
        Assert.Equal(0, ring.FreeSpace.Length);
        Assert.Equal(0, _spaceFreed);

        Assert.Equal(1, await ring.ReadAsync(new byte[1], CancellationToken.None));
        Assert.Equal(1, _spaceFreed);
        Assert.Equal(1, await ring.ReadAsync(new byte[1], CancellationToken.None));
        Assert.Equal(1, _spaceFreed); // only the read that found it full
    }

    [Fact]
    public async Task PendingRead_CompletesOnCommit()
    {
        var ring = NewRing();
        var buffer = new byte[8];
        var pending = ring.ReadAsync(buffer, CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);

        Fill(ring, 7, 3);
        Assert.Equal(3, await pending);
        Assert.Equal(new byte[] { 7, 8, 9 }, buffer[..3]);
    }

    [Fact]
    public async Task End_ReturnsBufferedBytesFirst_ThenZero_AndNeverWakesForSpace()
    {
        var ring = NewRing();
        var pending = ring.ReadAsync(new byte[4], CancellationToken.None).AsTask();
        Fill(ring, 1, 4);
        Assert.Equal(4, await pending);

        Fill(ring, 0, PtyOutputRing.Capacity - 4); // up to the end of the array
        Fill(ring, 0, 4); // the wrapped rest
        Assert.True(ring.IsFull);
        lock (_gate)
        {
            ring.End();
        }

        Assert.Equal(PtyOutputRing.Capacity, await ring.ReadAsync(new byte[PtyOutputRing.Capacity], CancellationToken.None));
        Assert.Equal(0, _spaceFreed);
        Assert.Equal(0, await ring.ReadAsync(new byte[4], CancellationToken.None));
    }

    [Fact]
    public async Task Close_ReleasesAPendingRead_WithZero()
    {
        var ring = NewRing();
        var pending = ring.ReadAsync(new byte[4], CancellationToken.None).AsTask();
        lock (_gate)
        {
            ring.Close();
        }

        Assert.Equal(0, await pending);
    }

    [Fact]
    public async Task SecondConcurrentRead_Throws_AndACancelledReadLosesNothing()
    {
        var ring = NewRing();
        using var cts = new CancellationTokenSource();
        var first = ring.ReadAsync(new byte[4], cts.Token).AsTask();
        await Assert.ThrowsAsync<InvalidOperationException>(() => ring.ReadAsync(new byte[4], CancellationToken.None).AsTask());

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Fill(ring, 42, 1);
        var buffer = new byte[4];
        Assert.Equal(1, await ring.ReadAsync(buffer, CancellationToken.None));
        Assert.Equal(42, buffer[0]);
    }

    [Fact]
    public async Task EmptyBuffer_ReturnsZeroAtOnce() =>
        Assert.Equal(0, await NewRing().ReadAsync(Memory<byte>.Empty, CancellationToken.None));
}

using System.Collections.Concurrent;
using Tether.Kernel;

namespace Tether.Tests.Kernel;

public sealed class OwnedTasksTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly TaskCompletionSource<Exception> _firstFault = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OwnedTasks Create() => new(e =>
    {
        _faults.Enqueue(e);
        _firstFault.TrySetResult(e);
    });

    private static TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Run_WorkThatThrowsAtOnce_ReportsThatExceptionItself()
    {
        var owned = Create();
        var boom = new InvalidOperationException("boom");

        owned.Run(() => throw boom);

        Assert.Same(boom, await _firstFault.Task.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Run_WorkThatFaultsAfterAnAwait_IsReportedOnce_NotAsAnAggregate()
    {
        var owned = Create();
        var gate = Gate();
        owned.Run(async () =>
        {
            await gate.Task;
            throw new IOException("disk gone");
        });
        Assert.Empty(_faults);

        gate.SetResult();

        var fault = await _firstFault.Task.WaitAsync(Deadline);
        Assert.IsType<IOException>(fault);
        Assert.Equal("disk gone", fault.Message);
        await owned.WhenAllAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.Single(_faults);
    }

    [Fact]
    public async Task WhenAllAsync_AfterAFaultWasReported_CompletesWithoutThrowingItAgain()
    {
        var owned = Create();
        owned.Run(() => throw new InvalidOperationException("reported once"));
        await _firstFault.Task.WaitAsync(Deadline);

        // The fault is reported after the task left the running set, so shutdown does not see it.
        await owned.WhenAllAsync(CancellationToken.None).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Run_WorkThatSucceeds_IsNotReported()
    {
        var owned = Create();
        var ran = Gate();
        owned.Run(() =>
        {
            ran.SetResult();
            return Task.CompletedTask;
        });

        await ran.Task.WaitAsync(Deadline);
        await owned.WhenAllAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.Empty(_faults);
    }

    [Fact]
    public void WhenAllAsync_NothingRunning_IsAlreadyComplete()
    {
        var owned = Create();

        Assert.True(owned.WhenAllAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WhenAllAsync_WaitsForEveryRunningTask()
    {
        var owned = Create();
        var first = Gate();
        var second = Gate();
        owned.Run(() => first.Task);
        owned.Run(() => second.Task);

        var all = owned.WhenAllAsync(CancellationToken.None);
        Assert.False(all.IsCompleted);

        first.SetResult();
        Assert.False(all.IsCompleted);
        second.SetResult();

        await all.WaitAsync(Deadline);
        Assert.Empty(_faults);
    }

    [Fact]
    public async Task WhenAllAsync_CoversOnlyTheTasksRunningWhenCalled()
    {
        var owned = Create();
        var early = Gate();
        var late = Gate();
        owned.Run(() => early.Task);
        var all = owned.WhenAllAsync(CancellationToken.None);
        owned.Run(() => late.Task);

        early.SetResult();

        await all.WaitAsync(Deadline);
        var stillRunning = owned.WhenAllAsync(CancellationToken.None);
        Assert.False(stillRunning.IsCompleted);
        late.SetResult();
        await stillRunning.WaitAsync(Deadline);
    }

    [Fact]
    public async Task WhenAllAsync_TokenFiresFirst_ThrowsAndLeavesTheWorkRunning()
    {
        var owned = Create();
        var gate = Gate();
        var finished = Gate();
        owned.Run(async () =>
        {
            await gate.Task;
            finished.SetResult();
        });
        using var cts = new CancellationTokenSource();
        var all = owned.WhenAllAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => all.WaitAsync(Deadline));
        Assert.False(finished.Task.IsCompleted);
        gate.SetResult();
        await finished.Task.WaitAsync(Deadline);
        await owned.WhenAllAsync(CancellationToken.None).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Run_FromManyThreads_EveryFaultIsReported_AndShutdownWaitsForTheRest()
    {
        const int Count = 200;
        var gate = Gate();
        int reported = 0;
        var allReported = Gate();
        var owned = new OwnedTasks(_ =>
        {
            if (Interlocked.Increment(ref reported) == Count / 2)
            {
                allReported.SetResult();
            }
        });

        Parallel.For(0, Count, i => owned.Run(async () =>
        {
            await gate.Task;
            if (i % 2 == 0)
            {
                throw new InvalidOperationException("fault " + i);
            }
        }));
        Assert.Equal(0, Volatile.Read(ref reported));

        gate.SetResult();

        await allReported.Task.WaitAsync(Deadline);
        await owned.WhenAllAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.Equal(Count / 2, Volatile.Read(ref reported));
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Tether.Protocol;
using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class OutboxTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private static Outbox Create() => new(NullLogger<Outbox>.Instance);

    private static OutboundEvent Durable(string name) => new(name, [1], Durable: true);

    private static OutboundEvent Live(string name) => new(name, [1], Durable: false);

    [Fact]
    public void Live_WhileDisconnected_IsDropped()
    {
        var outbox = Create();
        Assert.False(outbox.TryPostLive(Live("stats")));
    }

    [Fact]
    public async Task Durable_WaitsForHelloAck_ThenGoesInOrder()
    {
        var outbox = Create();
        outbox.PostDurable(Durable("r1"));
        outbox.PostDurable(Durable("r2"));
        outbox.OnConnected();
        Assert.True(outbox.TryPostLive(Live("pong")));

        // Before hello_ack only the live event may go.
        Assert.Equal("pong", (await outbox.TakeAsync(CancellationToken.None)).Name);
        // The outbox has no timer or thread of its own: only OnReady can complete this take.
        var pending = outbox.TakeAsync(CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);

        outbox.OnReady();
        var first = await pending.WaitAsync(Deadline);
        Assert.Equal("r1", first.Name);
        outbox.Complete(first);
        var second = await outbox.TakeAsync(CancellationToken.None).AsTask().WaitAsync(Deadline);
        Assert.Equal("r2", second.Name);
        outbox.Complete(second);
        Assert.Equal(0, outbox.DurableCount);
    }

    [Fact]
    public async Task Durable_NotCompletedBeforeADrop_IsSentAgainAfterTheNextHelloAck()
    {
        var outbox = Create();
        outbox.OnConnected();
        outbox.OnReady();
        outbox.PostDurable(Durable("admin_result"));
        var taken = await outbox.TakeAsync(CancellationToken.None);
        outbox.OnDisconnected(); // the send never completed

        outbox.OnConnected();
        outbox.OnReady();
        var again = await outbox.TakeAsync(CancellationToken.None).AsTask().WaitAsync(Deadline);
        Assert.Same(taken, again);
    }

    [Fact]
    public async Task PostingOrder_IsKept_AcrossLiveAndDurable()
    {
        var outbox = Create();
        outbox.OnConnected();
        outbox.OnReady();
        Assert.True(outbox.TryPostLive(Live("shell_output")));
        outbox.PostDurable(Durable("shell_closed"));
        Assert.True(outbox.TryPostLive(Live("stats")));
        var names = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var e = await outbox.TakeAsync(CancellationToken.None);
            outbox.Complete(e);
            names.Add(e.Name);
        }

        Assert.Equal(["shell_output", "shell_closed", "stats"], names);
    }

    [Fact]
    public void Durable_IsBoundedAtAThousand_DroppingTheOldest()
    {
        var outbox = Create();
        for (int i = 0; i < Outbox.DurableCapacity + 5; i++)
        {
            outbox.PostDurable(Durable("r" + i));
        }

        Assert.Equal(Outbox.DurableCapacity, outbox.DurableCount);
    }

    [Fact]
    public async Task Live_WhenFull_SlowsTheProducerUntilTheSenderTakes()
    {
        var outbox = Create();
        outbox.OnConnected();
        for (int i = 0; i < Outbox.LiveCapacity; i++)
        {
            Assert.True(outbox.TryPostLive(Live("o" + i)));
        }

        Assert.False(outbox.TryPostLive(Live("overflow")));
        // Nothing but a take frees room, so the send stays pending until the one below.
        var blocked = outbox.SendLiveAsync(Live("waiting"), CancellationToken.None).AsTask();
        Assert.False(blocked.IsCompleted);
        await outbox.TakeAsync(CancellationToken.None);
        Assert.True(await blocked.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Disconnect_DropsPendingLiveEvents_AndFreesTheirRoom()
    {
        var outbox = Create();
        outbox.OnConnected();
        for (int i = 0; i < Outbox.LiveCapacity; i++)
        {
            Assert.True(outbox.TryPostLive(Live("o" + i)));
        }

        outbox.OnDisconnected();
        Assert.False(await outbox.SendLiveAsync(Live("late"), CancellationToken.None));
        outbox.OnConnected();
        Assert.True(outbox.TryPostLive(Live("fresh")));
        Assert.Equal("fresh", (await outbox.TakeAsync(CancellationToken.None)).Name);
    }

    [Fact]
    public async Task WaitDrained_CompletesWhenTheLastResultWasSent()
    {
        var outbox = Create();
        outbox.OnConnected();
        outbox.OnReady();
        outbox.PostDurable(Durable("r"));
        var drained = outbox.WaitDrainedAsync(CancellationToken.None);
        Assert.False(drained.IsCompleted);
        var e = await outbox.TakeAsync(CancellationToken.None);
        outbox.Complete(e);
        await drained.WaitAsync(Deadline);
    }
}

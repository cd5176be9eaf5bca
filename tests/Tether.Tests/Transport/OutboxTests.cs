using Microsoft.Extensions.Logging.Abstractions;
using Tether.Protocol;
using Tether.Tests.Infrastructure;
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

    [Fact]
    public async Task APostToAParkedSender_IsSentOnThePostersThread_BeforeThePostReturns()
    {
        var outbox = Create();
        outbox.OnConnected();
        outbox.OnReady();
        using var cts = new CancellationTokenSource();
        var sender = new RecordingSender(outbox);
        var loop = sender.Start(cts.Token);
        Assert.True(outbox.SenderParked);

        // A live event (stats), then a result: each from a thread of its own, as the stats thread
        // and a finished command post them.
        foreach (var post in new Action[] { () => outbox.TryPostLive(Live("stats")), () => outbox.PostDurable(Durable("admin_result")) })
        {
            var (posterId, sentWhenThePostReturned) = OnThreadOfItsOwn(() =>
            {
                post();
                return sender.Count;
            });
            var last = sender.Sent[^1];
            Assert.Equal(posterId, last.ThreadId);
            Assert.Equal(sender.Count, sentWhenThePostReturned);
            Assert.True(outbox.SenderParked); // parked again on the poster's thread before its post returned
        }

        Assert.Equal(["stats", "admin_result"], sender.Sent.Select(s => s.Name));
        Assert.Equal(0, outbox.DurableCount);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task OnReadyWithResultsQueued_ThePosterSendsTheFirst_AndThePoolTheRest()
    {
        var outbox = Create();
        outbox.OnConnected();
        for (int i = 0; i < 5; i++)
        {
            outbox.PostDurable(Durable("r" + i));
        }

        using var cts = new CancellationTokenSource();
        var sender = new RecordingSender(outbox);
        var loop = sender.Start(cts.Token);
        Assert.True(outbox.SenderParked);

        // The receive loop calls OnReady on hello_ack: it must not be held sending the whole backlog.
        var (posterId, _) = OnThreadOfItsOwn(() =>
        {
            outbox.OnReady();
            return 0;
        });
        await sender.WaitForAsync(5);
        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], sender.Sent.Select(s => s.Name));
        Assert.Equal(posterId, sender.Sent[0].ThreadId);
        Assert.All(sender.Sent.Skip(1), s =>
        {
            Assert.NotEqual(posterId, s.ThreadId);
            Assert.True(s.OnPool, $"{s.Name} was sent off the thread pool");
        });
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task APosterWhoseEventIsSent_WhileOthersQueueMore_LeavesTheRestToThePool()
    {
        var outbox = Create();
        outbox.OnConnected();
        outbox.OnReady();
        using var cts = new CancellationTokenSource();
        var sender = new RecordingSender(outbox)
        {
            // While the first event is on the wire, other producers (a shell flood) queue more.
            OnSent = (name) =>
            {
                if (name == "first")
                {
                    for (int i = 0; i < 10; i++)
                    {
                        Assert.True(outbox.TryPostLive(Live("flood" + i)));
                    }
                }
            },
        };
        var loop = sender.Start(cts.Token);
        Assert.True(outbox.SenderParked);

        var (posterId, sentWhenThePostReturned) = OnThreadOfItsOwn(() =>
        {
            outbox.TryPostLive(Live("first"));
            return sender.Count;
        });
        await sender.WaitForAsync(11);
        Assert.Equal(posterId, sender.Sent[0].ThreadId);
        Assert.InRange(sentWhenThePostReturned, 1, 11);
        Assert.All(sender.Sent.Skip(1), s => Assert.NotEqual(posterId, s.ThreadId));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "flood" + i), sender.Sent.Skip(1).Select(s => s.Name));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    /// <summary>Runs <paramref name="body"/> on a new thread (not the pool's); its managed id and the result.</summary>
    private static (int ThreadId, T Result) OnThreadOfItsOwn<T>(Func<T> body)
    {
        int id = 0;
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            id = Environment.CurrentManagedThreadId;
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        Assert.True(thread.Join(Deadline), "the posting thread did not end");
        Assert.Null(failure);
        return (id, result);
    }

    /// <summary>A sender loop like the connection's: take, "send" (record the thread), complete.</summary>
    private sealed class RecordingSender(Outbox outbox)
    {
        private readonly List<SentEvent> _sent = [];

        public Action<string>? OnSent { get; init; }

        public int Count
        {
            get
            {
                lock (_sent)
                {
                    return _sent.Count;
                }
            }
        }

        public IReadOnlyList<SentEvent> Sent
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        /// <summary>
        /// Starts the loop as the agent runs it, without a synchronization context (xUnit's would take
        /// its continuations), and returns once it awaits its first take: a post from then on completes
        /// a wait the loop is registered on. (Polling <c>SenderParked</c> raced: the waiter is set under
        /// the lock and awaited a moment later, and a post in between left the loop to go on on its
        /// own thread.)
        /// </summary>
        public Task Start(CancellationToken ct)
        {
            Assert.Same(TaskScheduler.Default, TaskScheduler.Current);
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                return RunAsync(ct);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }

        public Task WaitForAsync(int count) => Poll.UntilAsync(() => Count >= count, Deadline, $"{count} events to be sent");

        private async Task RunAsync(CancellationToken ct)
        {
            while (true)
            {
                var e = await outbox.TakeAsync(ct);
                lock (_sent)
                {
                    _sent.Add(new SentEvent(e.Name, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
                }

                OnSent?.Invoke(e.Name);
                outbox.Complete(e);
            }
        }
    }

    private sealed record SentEvent(string Name, int ThreadId, bool OnPool);
}

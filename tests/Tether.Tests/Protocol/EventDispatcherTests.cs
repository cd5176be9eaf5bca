using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Protocol;

namespace Tether.Tests.Protocol;

public sealed class EventDispatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly CapturingLogger<EventDispatcher> _log = new();
    private readonly EventDispatcher _dispatcher;
    private readonly List<string> _calls = [];

    public EventDispatcherTests()
    {
        _dispatcher = new EventDispatcher(_log);
    }

    private static InboundEvent Event(string name, string payload = "{}") =>
        new(name, JsonDocument.Parse(payload).RootElement.Clone(), AckId: null, ViaMessageEnvelope: false);

    private Func<InboundEvent, CancellationToken, ValueTask> Record(string handler) => (e, _) =>
    {
        _calls.Add(handler + ":" + e.Name);
        return ValueTask.CompletedTask;
    };

    [Fact]
    public async Task Dispatch_CallsOnlyTheHandlerOfThatName_WithTheEventAndTheToken()
    {
        InboundEvent? seen = null;
        CancellationToken seenToken = default;
        _dispatcher.On("shell_start", (e, ct) =>
        {
            seen = e;
            seenToken = ct;
            return ValueTask.CompletedTask;
        });
        _dispatcher.On("shell_input", Record("input"));
        using var cts = new CancellationTokenSource();
        var inbound = Event("shell_start", """{"session":"s1"}""");

        await _dispatcher.DispatchAsync(inbound, cts.Token);

        Assert.Same(inbound, seen);
        Assert.Equal(cts.Token, seenToken);
        Assert.Equal("s1", seen!.Payload.GetProperty("session").GetString());
        Assert.Empty(_calls);
    }

    [Fact]
    public async Task Dispatch_EventsGoToTheirHandlersInArrivalOrder()
    {
        _dispatcher.On("a", Record("A"));
        _dispatcher.On("b", Record("B"));

        foreach (var name in new[] { "a", "b", "b", "a" })
        {
            await _dispatcher.DispatchAsync(Event(name), CancellationToken.None);
        }

        Assert.Equal(["A:a", "B:b", "B:b", "A:a"], _calls);
    }

    [Fact]
    public async Task Dispatch_CompletesOnlyWhenTheHandlerHasCompleted()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _dispatcher.On("slow", async (_, _) => await release.Task);

        var dispatch = _dispatcher.DispatchAsync(Event("slow"), CancellationToken.None).AsTask();
        Assert.False(dispatch.IsCompleted);

        release.SetResult();
        await dispatch.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Dispatch_UnknownEvent_IsIgnoredAndLoggedAtDebug()
    {
        _dispatcher.On("known", Record("known"));

        await _dispatcher.DispatchAsync(Event("nobody_handles_this"), CancellationToken.None);

        Assert.Empty(_calls);
        Assert.False(_dispatcher.Handles("nobody_handles_this"));
        var entry = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains("nobody_handles_this", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_NamesAreCaseSensitive()
    {
        _dispatcher.On("shell_start", Record("start"));

        await _dispatcher.DispatchAsync(Event("Shell_Start"), CancellationToken.None);

        Assert.Empty(_calls);
        Assert.True(_dispatcher.Handles("shell_start"));
        Assert.False(_dispatcher.Handles("Shell_Start"));
    }

    [Fact]
    public async Task Dispatch_HandlerThrows_IsLoggedAsErrorWithTheException_AndOtherHandlersStillRun()
    {
        var boom = new InvalidOperationException("boom");
        _dispatcher.On("bad", (_, _) => throw boom);
        _dispatcher.On("good", Record("good"));

        await _dispatcher.DispatchAsync(Event("bad"), CancellationToken.None);
        await _dispatcher.DispatchAsync(Event("good"), CancellationToken.None);
        await _dispatcher.DispatchAsync(Event("bad"), CancellationToken.None);
        await _dispatcher.DispatchAsync(Event("good"), CancellationToken.None);

        Assert.Equal(["good:good", "good:good"], _calls);
        var errors = _log.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.Same(boom, e.Exception);
            Assert.Contains("bad", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Dispatch_HandlerFaultsAfterAnAwait_IsCaughtAndLoggedToo()
    {
        _dispatcher.On("late_fault", async (_, _) =>
        {
            await Task.Yield();
            throw new FormatException("bad payload");
        });
        _dispatcher.On("next", Record("next"));

        await _dispatcher.DispatchAsync(Event("late_fault"), CancellationToken.None);
        await _dispatcher.DispatchAsync(Event("next"), CancellationToken.None);

        Assert.IsType<FormatException>(Assert.Single(_log.Entries, e => e.Level == LogLevel.Error).Exception);
        Assert.Equal(["next:next"], _calls);
    }

    [Fact]
    public async Task Dispatch_HandlerCancelledByTheDispatchToken_PropagatesTheCancellation()
    {
        using var cts = new CancellationTokenSource();
        _dispatcher.On("stop", async (_, ct) =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _dispatcher.DispatchAsync(Event("stop"), cts.Token).AsTask());
        Assert.DoesNotContain(_log.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Dispatch_HandlerCancelledByItsOwnToken_IsLoggedAndDoesNotStopTheLoop()
    {
        _dispatcher.On("own_timeout", (_, _) => throw new OperationCanceledException("the handler's own timeout"));
        _dispatcher.On("next", Record("next"));

        await _dispatcher.DispatchAsync(Event("own_timeout"), CancellationToken.None);
        await _dispatcher.DispatchAsync(Event("next"), CancellationToken.None);

        Assert.IsType<OperationCanceledException>(Assert.Single(_log.Entries, e => e.Level == LogLevel.Error).Exception);
        Assert.Equal(["next:next"], _calls);
    }

    [Fact]
    public async Task On_SameNameTwice_Throws_AndTheFirstHandlerStays()
    {
        _dispatcher.On("dup", Record("first"));

        var error = Assert.Throws<InvalidOperationException>(() => _dispatcher.On("dup", Record("second")));
        await _dispatcher.DispatchAsync(Event("dup"), CancellationToken.None);

        Assert.Contains("dup", error.Message, StringComparison.Ordinal);
        Assert.Equal(["first:dup"], _calls);
    }
}

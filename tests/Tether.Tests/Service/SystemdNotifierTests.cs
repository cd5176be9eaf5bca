using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tether.Platform.ServiceHost;
using Tether.Service;

namespace Tether.Tests.Service;

public sealed class SystemdNotifierTests
{
    private const string Server = "dash.example.com:8443";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSink _sink = new();
    private readonly FakeConnection _connection = new();
    private readonly CapturingLogger<SystemdNotifier> _log = new();
    private readonly CancellationTokenSource _stop = new();

    [Fact]
    public async Task Start_SaysConnecting_FirstHelloAckSendsReady_LaterOnesOnlyStatus()
    {
        Task run = Start(watchdog: null);
        Assert.Equal("STATUS=connecting to " + Server, await _sink.NextAsync());

        _connection.RaiseReady();
        Assert.Equal("READY=1\nSTATUS=connected to " + Server, await _sink.NextAsync());
        _connection.RaiseLost();
        Assert.Equal("STATUS=reconnecting to " + Server + " (connection lost)", await _sink.NextAsync());
        _connection.RaiseReady();
        Assert.Equal("STATUS=connected to " + Server, await _sink.NextAsync());

        await StopAsync(run);
    }

    [Fact]
    public async Task ConnectionAlreadyReadyWhenStarted_SendsReadyAtOnce()
    {
        _connection.IsReady = true;
        Task run = Start(watchdog: null);
        Assert.StartsWith("STATUS=connecting", await _sink.NextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("READY=1\nSTATUS=connected", await _sink.NextAsync(), StringComparison.Ordinal);
        await StopAsync(run);
    }

    [Fact]
    public async Task StartGrace_EndsWithoutHelloAck_SendsReadyAnyway_ThenHelloAckAndShutdownAreStillReported()
    {
        Task run = Start(watchdog: null);
        await _sink.NextAsync();

        _time.Advance(Grace);
        Assert.Equal("READY=1\nSTATUS=not connected to " + Server + " after 30 s; still trying", await _sink.NextAsync());
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("no hello_ack within 30 s", StringComparison.Ordinal));
        _connection.RaiseReady();
        Assert.Equal("STATUS=connected to " + Server, await _sink.NextAsync());

        // Still listening after the grace: shutdown is reported.
        await _stop.CancelAsync();
        Assert.Equal("STOPPING=1\nSTATUS=stopping", await _sink.NextAsync());
        await run.WaitAsync(Deadline);
    }

    [Fact]
    public async Task HelloAckJustBeforeTheGraceEnds_IsTheOnlyReady()
    {
        Task run = Start(watchdog: null);
        await _sink.NextAsync();

        _time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        _connection.RaiseReady();
        Assert.Equal("READY=1\nSTATUS=connected to " + Server, await _sink.NextAsync());
        _time.Advance(TimeSpan.FromSeconds(1));
        _connection.RaiseLost();
        Assert.StartsWith("STATUS=reconnecting", await _sink.NextAsync(), StringComparison.Ordinal);

        await StopAsync(run);
        Assert.Single(_sink.Messages, m => m.StartsWith("READY=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_SendsStoppingAtOnce_AndTheConnectionClosingIsNoReconnect()
    {
        Task run = Start(watchdog: null);
        await _sink.NextAsync();
        _connection.RaiseReady();
        await _sink.NextAsync();

        await _stop.CancelAsync();
        Assert.Equal("STOPPING=1\nSTATUS=stopping", await _sink.NextAsync());
        _connection.RaiseLost();
        _connection.RaiseReady();
        await run.WaitAsync(Deadline);

        Assert.Equal(3, _sink.Messages.Count);
    }

    [Fact]
    public async Task Shutdown_BeforeTheGraceEnds_NeverSendsReady()
    {
        Task run = Start(watchdog: null);
        await _sink.NextAsync();
        await _stop.CancelAsync();
        await run.WaitAsync(Deadline);
        _time.Advance(Grace);

        Assert.Equal(["STATUS=connecting to " + Server, "STOPPING=1\nSTATUS=stopping"], _sink.Messages);
    }

    [Fact]
    public async Task Watchdog_PingsEveryInterval_WhileTheConnectionLoopRuns_AndStopsWhenItEnds()
    {
        var loop = new TaskCompletionSource();
        Task run = Start(TimeSpan.FromSeconds(5), loop.Task);
        await _sink.NextAsync();

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("WATCHDOG=1", await _sink.NextAsync());
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("WATCHDOG=1", await _sink.NextAsync());

        loop.SetResult();
        _time.Advance(TimeSpan.FromSeconds(5));
        await _log.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.Contains("watchdog pings stop", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromSeconds(5));
        await StopAsync(run);
        Assert.Equal(2, _sink.Messages.Count(m => m == "WATCHDOG=1"));
    }

    [Fact]
    public async Task NoWatchdogInterval_NeverPings()
    {
        Task run = Start(watchdog: null);
        await _sink.NextAsync();
        _time.Advance(TimeSpan.FromSeconds(29));
        _connection.RaiseReady();

        Assert.StartsWith("READY=1", await _sink.NextAsync(), StringComparison.Ordinal);
        await StopAsync(run);
        Assert.DoesNotContain("WATCHDOG=1", _sink.Messages);
    }

    [Fact]
    public async Task SendFailures_AreNotFatal_AndWarnOnlyOnce()
    {
        _sink.Fail = true;
        Task run = Start(TimeSpan.FromSeconds(1));
        _connection.RaiseReady();
        _connection.RaiseLost();
        _time.Advance(TimeSpan.FromSeconds(1));
        await _log.WaitForAsync(e => e.Level == LogLevel.Debug && e.Message.Contains("notification failed", StringComparison.Ordinal));

        await StopAsync(run);
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("notification failed: refused", StringComparison.Ordinal));
    }

    private Task Start(TimeSpan? watchdog, Task? connectionLoop = null)
    {
        var notifier = new SystemdNotifier(_sink, Server, watchdog, Grace, _time, _log);
        return notifier.RunAsync(_connection, connectionLoop ?? new TaskCompletionSource().Task, _stop.Token);
    }

    private async Task StopAsync(Task run)
    {
        await _stop.CancelAsync();
        await run.WaitAsync(Deadline);
    }

    private sealed class RecordingSink : INotifySink
    {
        private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
        private readonly ConcurrentQueue<string> _all = new();

        public volatile bool Fail;

        public IReadOnlyList<string> Messages => [.. _all];

        public bool TrySend(string message, [NotNullWhen(false)] out string? error)
        {
            if (Fail)
            {
                error = "refused";
                return false;
            }

            _all.Enqueue(message);
            _sent.Writer.TryWrite(message);
            error = null;
            return true;
        }

        public async Task<string> NextAsync() => await _sent.Reader.ReadAsync().AsTask().WaitAsync(Deadline);

        public void Dispose()
        {
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Protocol;
using Tether.Telemetry;
using Tether.Transport;

namespace Tether.Tests.Telemetry;

/// <summary>
/// The stats loop on a fake clock: each test waits until the loop waits on the clock
/// (<see cref="FakeClock.WaitForTimersAsync"/>) before moving it, so no step races the loop.
/// </summary>
public sealed class StatsReporterTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    private const string Version = "9.9.9-test";

    private readonly FakeClock _clock = new();
    private readonly FakeHostStats _host = new();
    private readonly Outbox _outbox = new(NullLogger<Outbox>.Instance);
    private readonly CapturingLogger<StatsReporter> _log = new();
    private readonly TcpListener _latencyTarget = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public StatsReporterTests()
    {
        _latencyTarget.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run.WaitAsync(Deadline));
        }

        _latencyTarget.Dispose();
        _stop.Dispose();
    }

    private StatsReporter Start(int? latencyPort = null, ContainerStatsSource? containers = null)
    {
        var reporter = new StatsReporter(
            new StatsCollector(_host, _clock, Version),
            new LatencyProbe(_clock),
            _outbox,
            new EventFrameEncoder("/agents"),
            new StatsReporterOptions(Interval, "127.0.0.1", latencyPort ?? ((IPEndPoint)_latencyTarget.LocalEndpoint).Port),
            _clock,
            _log,
            containers);
        _run = reporter.RunAsync(_stop.Token);
        return reporter;
    }

    private void Ready()
    {
        _outbox.OnConnected();
        _outbox.OnReady();
    }

    private async Task<OutboundEvent> NextAsync() =>
        await _outbox.TakeAsync(CancellationToken.None).AsTask().WaitAsync(Deadline);

    /// <summary>True when nothing is queued right now (a take with a cancelled token does not wait).</summary>
    private bool NothingQueued() => _outbox.TakeAsync(new CancellationToken(canceled: true)).IsCanceled;

    private static JsonElement Payload(OutboundEvent e)
    {
        var text = Encoding.UTF8.GetString(e.Frame);
        Assert.StartsWith("42/agents,", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text["42/agents,".Length..]);
        var args = doc.RootElement;
        Assert.Equal(2, args.GetArrayLength());
        Assert.Equal("stats", args[0].GetString());
        return args[1].Clone();
    }

    [Fact]
    public async Task IntervalElapsed_WhileReady_SendsOneStatsEvent_NotBefore()
    {
        Ready();
        Start();
        await _clock.WaitForTimersAsync(1);

        _clock.Advance(Interval - Tick);
        Assert.True(NothingQueued());
        _clock.Advance(Tick);

        var sent = await NextAsync();
        Assert.Equal("stats", sent.Name);
        Assert.False(sent.Durable);
        await _clock.WaitForTimersAsync(2); // back to waiting for the next interval
        Assert.True(NothingQueued());
    }

    [Fact]
    public async Task EveryInterval_SendsAnother()
    {
        Ready();
        Start();

        for (int i = 1; i <= 3; i++)
        {
            await _clock.WaitForTimersAsync(i);
            _clock.Advance(Interval);
            Assert.Equal("stats", (await NextAsync()).Name);
        }
    }

    [Fact]
    public async Task RequestNow_SendsAtOnce_AndTheIntervalRestartsFromIt()
    {
        Ready();
        var reporter = Start();
        await _clock.WaitForTimersAsync(1);
        _clock.Advance(Interval / 2);

        reporter.RequestNow();

        Assert.Equal("stats", (await NextAsync()).Name);
        await _clock.WaitForTimersAsync(2);
        _clock.Advance(Interval - Tick); // past the first interval's end: no sample there
        Assert.True(NothingQueued());
        Assert.Equal(2, _clock.TimersCreated);
        _clock.Advance(Tick);
        Assert.Equal("stats", (await NextAsync()).Name);
    }

    [Fact]
    public async Task EngineThatNeverAnswers_StatsAreStillSent_WithoutContainers_WhileTheCallIsOpen()
    {
        using var dir = new TempDirectory("tether-hung-engine-");
        string path = dir.Join("docker.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(8);
        var hung = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var s = await listener.AcceptAsync();
                    lock (hung)
                    {
                        hung.Add(s);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        Ready();
        var reporter = Start(containers: new ContainerStatsSource([new Tether.Platform.HostStats.ContainerEngineSocket(path, false)], TimeProvider.System, NullLogger.Instance));
        await _clock.WaitForTimersAsync(1);

        reporter.RequestNow();
        var sent = await NextAsync();

        var data = Payload(sent).GetProperty("data");
        Assert.False(data.TryGetProperty("containers", out _));
        Assert.True(data.TryGetProperty("cpu", out _));
        lock (hung)
        {
            // The engine's end is still open and never wrote a byte: the sample did not wait for it.
            Assert.Contains(hung, s => s.Connected && s.Available > 0);
            hung.ForEach(s => s.Dispose());
        }

        listener.Close();
        await accepting;
    }

    [Fact]
    public async Task RequestNow_TwiceWhileASampleRuns_SendsOneMoreSample_ThenWaitsForTheInterval()
    {
        Ready();
        var reporter = Start();
        await _clock.WaitForTimersAsync(1);
        using var inSample = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        _host.DuringSample = () =>
        {
            inSample.Release();
            release.Wait(Deadline);
        };

        reporter.RequestNow();
        Assert.True(await inSample.WaitAsync(Deadline));
        reporter.RequestNow();
        reporter.RequestNow();
        _host.DuringSample = null;
        release.Set();

        await NextAsync();
        await NextAsync();
        await _clock.WaitForTimersAsync(3);

        // Both requests came after the first sample read the host: one more sample answers both.
        // A request counted twice would wake the loop again without any time passing.
        Assert.True(NothingQueued());
        Assert.Equal(3, _clock.TimersCreated);
    }

    [Fact]
    public async Task NotReady_SkipsTheSample_AndStillSendsOnceReady()
    {
        _outbox.OnConnected(); // connected, but no hello_ack yet
        Start();
        await _clock.WaitForTimersAsync(1);

        _clock.Advance(Interval);
        await _clock.WaitForTimersAsync(2); // the loop went round without sending

        Assert.True(NothingQueued());
        Assert.Empty(_host.FileSystemPaths); // and without even sampling the host
        _outbox.OnReady();
        _clock.Advance(Interval);
        Assert.Equal("stats", (await NextAsync()).Name);
        Assert.NotEmpty(_host.FileSystemPaths);
    }

    [Fact]
    public async Task Disconnected_RequestNow_SendsNothing_AndTheLoopKeepsRunning()
    {
        var reporter = Start();
        await _clock.WaitForTimersAsync(1);

        reporter.RequestNow();
        await _clock.WaitForTimersAsync(2);

        Assert.Empty(_host.FileSystemPaths);
        Ready();
        reporter.RequestNow();
        Assert.Equal("stats", (await NextAsync()).Name);
    }

    [Fact]
    public async Task Event_IsStatsWithTypeTAndData_FromTheCollectorAndTheProbe()
    {
        _host.Uptime = 4242;
        Ready();
        var reporter = Start();
        await _clock.WaitForTimersAsync(1);

        reporter.RequestNow();
        var payload = Payload(await NextAsync());

        Assert.Equal(["type", "t", "data"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal("stats", payload.GetProperty("type").GetString());
        Assert.Equal("stats", payload.GetProperty("t").GetString());
        var data = payload.GetProperty("data");
        Assert.Equal(Version, data.GetProperty("agentVersion").GetString());
        Assert.Equal(4242, data.GetProperty("uptimeSec").GetInt64());
        Assert.Equal("linux", data.GetProperty("os").GetString());

        // The probe reached the listener; the fake clock did not move during the connect.
        Assert.Equal(0, data.GetProperty("netLatencyMs").GetDouble());
    }

    [Fact]
    public async Task LatencyTargetRefuses_TheSampleIsStillSent_WithoutNetLatency()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Ready();
        var reporter = Start(closedPort);
        await _clock.WaitForTimersAsync(1);

        reporter.RequestNow();
        var data = Payload(await NextAsync()).GetProperty("data");

        Assert.False(data.TryGetProperty("netLatencyMs", out _));
        Assert.Equal(Version, data.GetProperty("agentVersion").GetString());
    }

    [Fact]
    public async Task LiveQueueFull_DropsTheSample_LogsIt_AndSendsTheNextOne()
    {
        Ready();
        for (int i = 0; i < Outbox.LiveCapacity; i++)
        {
            Assert.True(_outbox.TryPostLive(new OutboundEvent("filler", [1], Durable: false)));
        }

        var reporter = Start();
        await _clock.WaitForTimersAsync(1);

        reporter.RequestNow();

        var dropped = await _log.WaitForAsync(e => e.Message.Contains("stats sample dropped", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, dropped.Level);
        await _clock.WaitForTimersAsync(2);
        for (int i = 0; i < Outbox.LiveCapacity; i++)
        {
            Assert.Equal("filler", (await NextAsync()).Name); // dropped, not queued behind them
        }

        Assert.True(NothingQueued());
        reporter.RequestNow();
        Assert.Equal("stats", (await NextAsync()).Name);
    }

    [Fact]
    public async Task ASampleThatThrows_IsLoggedOnce_AndTheLoopGoesOnSendingOnceTheSourceWorks()
    {
        Ready();
        var reporter = Start();
        await _clock.WaitForTimersAsync(1);
        _host.DuringSample = () => throw new InvalidOperationException("sensor table changed shape");

        reporter.RequestNow();
        var failed = await _log.WaitForAsync(e => e.Message.Contains("stats sample failed;", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.IsType<InvalidOperationException>(failed.Exception);
        await _clock.WaitForTimersAsync(2);
        _clock.Advance(Interval); // the same failure at the next interval: Debug, not a second Error
        var again = await _log.WaitForAsync(e => e.Message.Contains("stats sample failed again", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, again.Level);
        Assert.Contains("sensor table changed shape", again.Message, StringComparison.Ordinal);
        await _clock.WaitForTimersAsync(3);
        Assert.True(NothingQueued());
        Assert.False(_run!.IsCompleted);

        _host.DuringSample = null;
        _clock.Advance(Interval);
        Assert.Equal("stats", (await NextAsync()).Name);
        await _log.WaitForAsync(e => e.Message.Contains("stats sample succeeded again", StringComparison.Ordinal));
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Cancelled_RunAsyncEnds_WithoutSending()
    {
        Ready();
        Start();
        await _clock.WaitForTimersAsync(1);

        await _stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run!.WaitAsync(Deadline));
        Assert.True(NothingQueued());
    }
}

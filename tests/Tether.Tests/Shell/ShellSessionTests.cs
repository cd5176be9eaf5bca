using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tether.Logging;
using Tether.Platform.Pty;
using Tether.Protocol;
using Tether.Shell;
using Tether.Transport;

namespace Tether.Tests.Shell;

public sealed class ShellSessionTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly Outbox _outbox = new(NullLogger<Outbox>.Instance);
    private readonly RecordingAudit _audit = new();
    private readonly CountingSlot _slot = new();

    public ShellSessionTests()
    {
        _outbox.OnConnected();
        _outbox.OnReady();
    }

    [Fact]
    public async Task Close_SendsHangup_ThenKillAfterTwoSeconds_WhenTheShellIgnoresIt()
    {
        var pty = new FakePtySession(_time) { ExitsOnHangup = false };
        var processes = new FakeProcessSessions();
        var session = Start(pty, processes);

        session.RequestClose(ShellClosedEvent.Closed, urgent: false);
        await AdvanceUntilAsync(() => session.Completion.IsCompleted);

        var signals = pty.Signals;
        Assert.Equal([PtySignal.Hangup, PtySignal.Hangup, PtySignal.Kill], signals.Select(s => s.Signal));
        // The fake clock moves in 50 ms steps while the session runs on real threads, so a signal
        // is stamped up to a few steps late: bound it by the repeat and by the grace, not tighter.
        Assert.InRange(signals[1].At - signals[0].At, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.True(signals[^1].At - signals[0].At >= TimeSpan.FromSeconds(2), $"killed after {signals[^1].At - signals[0].At}");
        Assert.Contains((pty.Pid, PtySignal.Kill), processes.Signals);

        var closed = await SingleClosedAsync();
        Assert.Equal("closed", closed.GetProperty("reason").GetString());
        Assert.Equal("SIGKILL", closed.GetProperty("signal").GetString());
        Assert.Equal(1, _slot.Releases);
        Assert.True(pty.Disposed);
    }

    [Fact]
    public async Task Close_OfAShellThatHonoursHangup_NeedsNoKill()
    {
        var pty = new FakePtySession(_time);
        var session = Start(pty, new FakeProcessSessions());
        session.RequestClose(ShellClosedEvent.Closed, urgent: false);
        await AdvanceUntilAsync(() => session.Completion.IsCompleted);
        Assert.DoesNotContain(pty.Signals, s => s.Signal == PtySignal.Kill);
        Assert.Equal("SIGHUP", (await SingleClosedAsync()).GetProperty("signal").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // macOS: no session sweep
    public async Task Close_OfAShellThatMissedTheFirstHangup_EndsOnTheSecond_WithoutKill(bool sweep)
    {
        var pty = new FakePtySession(_time) { HangupsToExit = 2 };
        var session = Start(pty, sweep ? new FakeProcessSessions() : null);
        var started = _time.GetUtcNow();

        session.RequestClose(ShellClosedEvent.Closed, urgent: false);
        await AdvanceUntilAsync(() => session.Completion.IsCompleted);

        Assert.Equal([PtySignal.Hangup, PtySignal.Hangup], pty.Signals.Select(s => s.Signal));
        Assert.InRange(pty.Signals[1].At - started, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1)); // stamped up to a few 50 ms steps late
        Assert.Equal("SIGHUP", (await SingleClosedAsync()).GetProperty("signal").GetString());
    }

    [Fact]
    public async Task Close_AtShutdown_HasNoTimeForASecondHangup()
    {
        var pty = new FakePtySession(_time) { ExitsOnHangup = false };
        var session = Start(pty, new FakeProcessSessions());

        session.RequestClose(ShellClosedEvent.ShuttingDown, urgent: true);
        await AdvanceUntilAsync(() => session.Completion.IsCompleted);

        Assert.Equal([PtySignal.Hangup, PtySignal.Kill], pty.Signals.Select(s => s.Signal));
    }

    [Fact]
    public async Task Exit_LeavingJobsInTheSession_HangsThemUp_ThenKillsThemAfterTheGrace()
    {
        var pty = new FakePtySession(_time);
        var processes = new FakeProcessSessions { Leftovers = 1 };
        var session = Start(pty, processes);
        pty.Exit(new PtyExit(3, null, null));
        await AdvanceUntilAsync(() => session.Completion.IsCompleted);

        Assert.Equal([(pty.Pid, PtySignal.Hangup), (pty.Pid, PtySignal.Kill)], processes.Signals.Distinct());
        var closed = await SingleClosedAsync();
        Assert.Equal(3, closed.GetProperty("code").GetInt32());
        Assert.Equal("exited", closed.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Shutdown_DuringTheLeftoverSweepOfAnExitedShell_CutsTheGraceShort()
    {
        var pty = new FakePtySession(_time);
        var processes = new FakeProcessSessions { Leftovers = 1 };
        var session = Start(pty, processes);
        var started = _time.GetUtcNow();
        pty.Exit(new PtyExit(0, null, null));
        session.RequestClose(ShellClosedEvent.ShuttingDown, urgent: true);
        await AdvanceUntilAsync(() => session.Completion.IsCompleted);

        Assert.True(_time.GetUtcNow() - started < TimeSpan.FromSeconds(1), $"took {_time.GetUtcNow() - started}");
        Assert.Contains((pty.Pid, PtySignal.Kill), processes.Signals);
        Assert.Equal("exited", (await SingleClosedAsync()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ExitCloseAndShutdownRacing_PostExactlyOneShellClosed_AndReleaseTheSlotOnce()
    {
        for (var round = 0; round < 50; round++)
        {
            var pty = new FakePtySession(_time) { ExitsOnHangup = false };
            var session = Start(pty, new FakeProcessSessions());
            var racers = new[]
            {
                Task.Run(() => pty.Exit(new PtyExit(0, null, null))),
                Task.Run(() => session.RequestClose(ShellClosedEvent.Closed, urgent: false)),
                Task.Run(() => session.RequestClose(ShellClosedEvent.ConnectionLost, urgent: false)),
                Task.Run(session.AbandonForShutdown),
            };
            await Task.WhenAll(racers);
            await AdvanceUntilAsync(() => session.Completion.IsCompleted);
        }

        Assert.Equal(50, await CountClosedAsync());
        Assert.Equal(50, _slot.Releases);
        Assert.Equal(50, _audit.Entries.Count(e => e.Action == AuditAction.ShellClosed));
    }

    [Fact]
    public async Task Output_IsDeliveredInOrder_BeforeShellClosed()
    {
        var pty = new FakePtySession(_time);
        var session = Start(pty, new FakeProcessSessions());
        var expected = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var line = $"line {i} é😀\r\n";
            expected.Append(line);
            pty.Emit(Encoding.UTF8.GetBytes(line));
        }

        // The server side: takes events as the socket would, until shell_closed.
        var text = new StringBuilder();
        var consumer = Task.Run(async () =>
        {
            while (true)
            {
                var e = await _outbox.TakeAsync(CancellationToken.None);
                _outbox.Complete(e);
                if (e.Name == "shell_closed")
                {
                    return;
                }

                text.Append(Payload(e).GetProperty("data").GetString());
            }
        });

        pty.Exit(new PtyExit(0, null, null));
        await AdvanceUntilAsync(() => session.Completion.IsCompleted && consumer.IsCompleted);
        await consumer;
        Assert.Equal(expected.ToString(), text.ToString());
    }

    [Fact]
    public async Task OutputWhileDisconnected_IsDropped_AndTheShellIsNotStalled()
    {
        _outbox.OnDisconnected();
        var pty = new FakePtySession(_time);
        var session = Start(pty, new FakeProcessSessions());
        for (var i = 0; i < 1000; i++)
        {
            pty.Emit(new byte[1000]);
        }

        pty.Exit(new PtyExit(0, null, null));
        await AdvanceUntilAsync(() => session.Completion.IsCompleted);

        // Only the queued shell_closed remains; it goes after the next hello_ack.
        Assert.Equal(1, _outbox.DurableCount);
    }

    private ShellSession Start(FakePtySession pty, FakeProcessSessions? processes)
    {
        var session = new ShellSession(
            "s1",
            pty,
            processes,
            _slot,
            _outbox,
            new EventFrameEncoder("/agents"),
            _audit,
            _time,
            NullLogger.Instance,
            new ShellSessionOptions(),
            new ShellOutputEncoder(new EventFrameEncoder("/agents"), "s1", Tether.Config.ShellOutputEncoding.Utf8, 1_000_000));
        session.Start();
        return session;
    }

    /// <summary>Moves the fake clock in small steps until <paramref name="done"/> (real-time bounded).</summary>
    private async Task AdvanceUntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "did not finish");
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }
    }

    private async Task<JsonElement> SingleClosedAsync()
    {
        JsonElement? closed = null;
        while (_outbox.DurableCount > 0)
        {
            var e = await _outbox.TakeAsync(CancellationToken.None);
            _outbox.Complete(e);
            if (e.Name == "shell_closed")
            {
                Assert.Null(closed);
                closed = Payload(e);
            }
        }

        Assert.NotNull(closed);
        return closed.Value;
    }

    private async Task<int> CountClosedAsync()
    {
        var n = 0;
        while (_outbox.DurableCount > 0)
        {
            var e = await _outbox.TakeAsync(CancellationToken.None);
            _outbox.Complete(e);
            n += e.Name == "shell_closed" ? 1 : 0;
        }

        return n;
    }

    internal static JsonElement Payload(OutboundEvent e)
    {
        var prefix = "42/agents,"u8;
        using var doc = JsonDocument.Parse(e.Frame.AsMemory(prefix.Length));
        return doc.RootElement[1].Clone();
    }

    internal sealed class RecordingAudit : IAuditLog
    {
        private readonly Lock _gate = new();
        private readonly List<AuditEntry> _entries = [];

        public List<AuditEntry> Entries
        {
            get
            {
                lock (_gate)
                {
                    return [.. _entries];
                }
            }
        }

        public void Write(AuditEntry entry)
        {
            lock (_gate)
            {
                _entries.Add(entry);
            }
        }
    }

    internal sealed class CountingSlot : IDisposable
    {
        private int _releases;

        public int Releases => Volatile.Read(ref _releases);

        public void Dispose() => Interlocked.Increment(ref _releases);
    }
}

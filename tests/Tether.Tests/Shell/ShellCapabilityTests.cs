using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tether.Config;
using Tether.Kernel;
using Tether.Platform.Pty;
using Tether.Protocol;
using Tether.Shell;
using Tether.Transport;

namespace Tether.Tests.Shell;

public sealed class ShellCapabilityTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly Outbox _outbox = new(NullLogger<Outbox>.Instance);
    private readonly FakeConnection _connection = new(isReady: true);
    private readonly FakePty _pty;
    private readonly EventDispatcher _dispatcher = new(NullLogger<EventDispatcher>.Instance);
    private readonly ConcurrencySlots _slots = new(2);

    public ShellCapabilityTests()
    {
        _pty = new FakePty(_time);
        _outbox.OnConnected();
        _outbox.OnReady();
    }

    [Fact]
    public async Task ConnectionLost_ShellsRunThroughTheGrace_AndAreClosedWithConnectionLostAfterIt()
    {
        var shell = Create(graceSec: 30);
        await StartAsync("s1");
        _outbox.OnDisconnected();
        _connection.RaiseLost();

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(_pty.Sessions[0].Signals);
        Assert.Equal(1, shell.OpenCount);

        _time.Advance(TimeSpan.FromSeconds(1));
        await AdvanceUntilAsync(() => shell.OpenCount == 0);
        Assert.Equal(PtySignal.Hangup, _pty.Sessions[0].Signals[0].Signal);

        // Queued: delivered after the next hello_ack.
        _outbox.OnConnected();
        _outbox.OnReady();
        var closed = await NextDurableAsync();
        Assert.Equal("connection lost", closed.GetProperty("reason").GetString());
        Assert.Equal(0, _slots.InUse);
    }

    [Fact]
    public async Task ReadyWithinTheGrace_KeepsTheShells()
    {
        var shell = Create(graceSec: 30);
        await StartAsync("s1");
        _connection.RaiseLost();
        _time.Advance(TimeSpan.FromSeconds(20));
        _connection.RaiseReady();
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, shell.OpenCount);
        Assert.Empty(_pty.Sessions[0].Signals);

        // A second loss starts a fresh grace.
        _connection.RaiseLost();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, shell.OpenCount);
        _time.Advance(TimeSpan.FromSeconds(1));
        await AdvanceUntilAsync(() => shell.OpenCount == 0);
    }

    [Fact]
    public async Task ALossWithoutReadyInBetween_DoesNotRestartTheGrace()
    {
        var shell = Create(graceSec: 30);
        await StartAsync("s1");
        _connection.RaiseLost();
        _time.Advance(TimeSpan.FromSeconds(20));
        _connection.RaiseLost(); // reconnected, no hello_ack, dropped again
        _time.Advance(TimeSpan.FromSeconds(10));
        await AdvanceUntilAsync(() => shell.OpenCount == 0);
        Assert.True(_time.GetUtcNow() - DateTimeOffset.UnixEpoch < TimeSpan.FromSeconds(35));
    }

    [Fact]
    public async Task ExtraMembers_AreTolerated()
    {
        Create(graceSec: 30);
        await DispatchAsync("shell_start", """{"session":"s1","cols":90,"rows":30,"clientId":"x"}""");
        await DispatchAsync("shell_resize", """{"session":"s1","cols":100,"rows":40,"why":"drag"}""");
        await DispatchAsync("shell_resize", """{"session":"s1","cols":100,"rows":40,"why":"drag"}""");
        Assert.Equal([(100, 40), (100, 40)], _pty.Sessions[0].Resizes);
    }

    [Fact]
    public async Task NoFreeSlot_RefusesWithBusy()
    {
        Create(graceSec: 30, maxSlotsUsed: 2);
        await StartAsync("busy-one");
        Assert.Equal("busy", (await NextDurableAsync()).GetProperty("reason").GetString());
        Assert.Empty(_pty.Sessions);
    }

    [Fact]
    public async Task ShellDisabled_RefusesWithShellDisabled()
    {
        Create(graceSec: 30, enableShell: false);
        await StartAsync("s1");
        Assert.Equal("shell disabled", (await NextDurableAsync()).GetProperty("reason").GetString());
        Assert.Empty(_pty.Sessions);
        Assert.Equal(0, _slots.InUse);
    }

    [Fact]
    public async Task NoPty_RefusesWithPtyUnavailable()
    {
        var context = Context(30, enableShell: true);
        var capability = new ShellCapability(context, pty: null, processes: null);
        capability.Register();
        await DispatchAsync("shell_start", """{"session":"x"}""");
        Assert.Equal("pty unavailable", (await NextDurableAsync()).GetProperty("reason").GetString());
        Assert.Equal(0, _slots.InUse);
    }

    [Fact]
    public async Task PtyUnavailableAtStart_RefusesWithPtyUnavailable_AndReleasesTheSlot()
    {
        Create(graceSec: 30);
        _pty.StartFailure = new PtyUnavailableException("ConPTY is not available");
        await StartAsync("s1");
        Assert.Equal("pty unavailable", (await NextDurableAsync()).GetProperty("reason").GetString());
        Assert.Empty(_pty.Sessions);
        Assert.Equal(0, _slots.InUse);
    }

    [Fact]
    public async Task OtherPtyStartFailure_IsReportedAsStartFailed_AndReleasesTheSlot()
    {
        Create(graceSec: 30);
        _pty.StartFailure = new PtyException("no such executable file");
        await StartAsync("s1");
        Assert.Equal("start failed: no such executable file", (await NextDurableAsync()).GetProperty("reason").GetString());
        Assert.Equal(0, _slots.InUse);
    }

    [Fact]
    public async Task DuplicateStart_IsIgnored_AndTheOpenSessionIsUntouched()
    {
        var shell = Create(graceSec: 30);
        await StartAsync("s1");
        await StartAsync("s1");
        Assert.Single(_pty.Sessions);
        Assert.Equal(0, _outbox.DurableCount);
        Assert.Equal(1, shell.OpenCount);
        Assert.Equal(1, _slots.InUse);
    }

    [Fact]
    public async Task Shutdown_ClosesEveryShell_WithAgentShuttingDown()
    {
        var shell = Create(graceSec: 30);
        await StartAsync("s1");
        await StartAsync("s2");
        var shutdown = shell.ShutdownAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => shutdown.IsCompleted);
        await shutdown;
        var reasons = new[] { await NextDurableAsync(), await NextDurableAsync() }.Select(p => p.GetProperty("reason").GetString());
        Assert.All(reasons, r => Assert.Equal("agent shutting down", r));
        Assert.Equal(0, _slots.InUse);
    }

    private ShellCapability Create(int graceSec, bool enableShell = true, int maxSlotsUsed = 0)
    {
        for (var i = 0; i < maxSlotsUsed; i++)
        {
            _ = _slots.TryAcquire();
        }

        var capability = new ShellCapability(Context(graceSec, enableShell), _pty, new FakeProcessSessions());
        capability.Register();
        return capability;
    }

    private AgentContext Context(int graceSec, bool enableShell)
    {
        var config = new AgentConfig
        {
            ConfigPath = "/tmp/x/agent-config.json",
            ConfigDirectory = "/tmp/x",
            ClientId = "c",
            ServerUri = new Uri("http://127.0.0.1:1"),
            AuthToken = "t",
            StateDir = "/tmp/x/state",
            Keys = new KeysSettings { AuthorizedKeysFile = "/tmp/x/keys" },
            Logging = new LoggingSettings { File = "/tmp/x/agent.log", AuditFile = "/tmp/x/audit.log" },
            Admin = new AdminSettings { EnableShell = enableShell },
            Shell = new ShellSettings { ReconnectGraceSec = graceSec, Command = "/bin/sh" },
        };
        return new AgentContext(
            config,
            _dispatcher,
            new EventFrameEncoder("/agents"),
            _outbox,
            _connection,
            _slots,
            new ShellSessionTests.RecordingAudit(),
            NullLoggerFactory.Instance,
            _time);
    }

    private Task StartAsync(string session) => DispatchAsync("shell_start", $$"""{"session":"{{session}}"}""");

    private async Task DispatchAsync(string name, string json)
    {
        using var doc = JsonDocument.Parse(json);
        await _dispatcher.DispatchAsync(new InboundEvent(name, doc.RootElement.Clone(), null, false), CancellationToken.None);
    }

    private async Task<JsonElement> NextDurableAsync()
    {
        var e = await _outbox.TakeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        _outbox.Complete(e);
        Assert.Equal("shell_closed", e.Name);
        return ShellSessionTests.Payload(e);
    }

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

    private sealed class FakePty(FakeTimeProvider time) : IPty
    {
        public List<FakePtySession> Sessions { get; } = [];

        /// <summary>Thrown by <see cref="Start"/> when set (what a platform PTY throws when it cannot start).</summary>
        public PtyException? StartFailure { get; set; }

        public IPtySession Start(PtyStartOptions options)
        {
            if (StartFailure is not null)
            {
                throw StartFailure;
            }

            var session = new FakePtySession(time, 500000 + Sessions.Count);
            Sessions.Add(session);
            return session;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Backup;
using Tether.Config;
using Tether.Kernel;
using Tether.Logging;
using Tether.Protocol;
using Tether.Tests.Infrastructure;
using Tether.Tests.Shell;
using Tether.Transport;

namespace Tether.Tests.Backup;

/// <summary>
/// The plan's slot against its result (docs/protocol.md §5: one run per planId at a time). The
/// outbox answers each result with a new <c>backup_start</c> on the poster's thread, the moment it
/// is queued: a dashboard that starts a plan again as soon as its result arrives.
/// </summary>
public sealed class BackupCapabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-backup-cap-");
    private readonly EventDispatcher _dispatcher = new(NullLogger<EventDispatcher>.Instance);
    private readonly ShellSessionTests.RecordingAudit _audit = new();
    private readonly List<(string Name, JsonElement Payload)> _results = [];
    private readonly Lock _gate = new();
    private readonly Outbox _outbox;
    private string? _answerFor;

    public BackupCapabilityTests()
    {
        _outbox = new Outbox(NullLogger<Outbox>.Instance) { DurablePosted = OnPosted };
        _outbox.OnConnected();
        _outbox.OnReady();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AStartAnsweringACompleteAtOnce_IsANewRun()
    {
        string src = _dir.Join("data", "src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Join(src, "f"), "one");
        var capability = Create();

        string job = Job("again", src);
        _answerFor = job;
        await StartAsync(job);

        var ends = await ResultsAsync("again", 2);
        Assert.All(ends, e => Assert.Equal("backup_complete", e.Name));
        Assert.Equal(["backup_start:Ok", "backup_end:Ok", "backup_start:Ok", "backup_end:Ok"], AuditOf("again"));
        await capability.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AStartAnsweringAnError_IsANewRun()
    {
        var capability = Create();
        string job = Job("again-bad", _dir.Join("data", "gone"));
        _answerFor = job;
        await StartAsync(job);

        var ends = await ResultsAsync("again-bad", 2);
        Assert.All(ends, e => Assert.Equal("backup_error", e.Name));
        Assert.DoesNotContain(_audit.Entries, e => e.Reason == "already running");
        await capability.ShutdownAsync(CancellationToken.None);
    }

    private void OnPosted(OutboundEvent e)
    {
        if (e.Name is not ("backup_complete" or "backup_error"))
        {
            return;
        }

        var payload = ShellSessionTests.Payload(e);
        string? answer;
        lock (_gate)
        {
            _results.Add((e.Name, payload));
            answer = _answerFor;
            _answerFor = null;
        }

        if (answer is not null)
        {
            StartAsync(answer).GetAwaiter().GetResult();
        }
    }

    private async Task<List<(string Name, JsonElement Payload)>> ResultsAsync(string planId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            List<(string Name, JsonElement Payload)> mine;
            lock (_gate)
            {
                mine = [.. _results.Where(r => r.Payload.GetProperty("planId").GetString() == planId)];
            }

            if (mine.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(mine.Count == count, $"{mine.Count} results for {planId}, expected {count}; audit: {string.Join(", ", _audit.Entries.Select(a => $"{a.Action}:{a.Outcome}:{a.Reason}"))}");
                return mine;
            }

            await Task.Delay(20);
        }
    }

    private List<string> AuditOf(string planId) =>
        [.. _audit.Entries.Where(e => e.PlanId == planId).Select(e => AuditLog.ActionName(e.Action) + ":" + e.Outcome)];

    private string Job(string planId, string source) =>
        new JsonObject { ["planId"] = planId, ["sourceDirs"] = new JsonArray(source), ["destRoot"] = _dir.Join("dest") }.ToJsonString();

    private async Task StartAsync(string json)
    {
        using var doc = JsonDocument.Parse(json);
        await _dispatcher.DispatchAsync(new InboundEvent("backup_start", doc.RootElement.Clone(), null, false), CancellationToken.None);
    }

    private BackupCapability Create()
    {
        var config = new AgentConfig
        {
            ConfigPath = _dir.Join("agent-config.json"),
            ConfigDirectory = _dir.Path,
            ClientId = "c",
            ServerUri = new Uri("http://127.0.0.1:1"),
            AuthToken = "t",
            StateDir = _dir.Join("state"),
            Keys = new KeysSettings { AuthorizedKeysFile = _dir.Join("keys") },
            Logging = new LoggingSettings { File = _dir.Join("agent.log"), AuditFile = _dir.Join("audit.log") },
            Backup = new BackupSettings { AllowedSourceRoots = [_dir.Path], AllowedDestRoots = [_dir.Path] },
        };
        var context = new AgentContext(
            config,
            _dispatcher,
            new EventFrameEncoder("/agents"),
            _outbox,
            new FakeConnection(isReady: true),
            new ConcurrencySlots(2),
            _audit,
            NullLoggerFactory.Instance,
            TimeProvider.System);
        return new BackupCapability(context);
    }
}

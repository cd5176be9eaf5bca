using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Config;
using Tether.Kernel;
using Tether.Logging;
using Tether.Protocol;
using Tether.Transport;

namespace Tether.Tests.Infrastructure;

/// <summary>
/// A capability's world with a dashboard that answers a result at once: the outbox calls back on
/// the poster's thread the moment a result is queued; the request set with
/// <see cref="AnswerNextResultWith"/> is dispatched right there, and the poster goes on only once
/// that answer has its own result. Collects every result's payload.
/// </summary>
internal sealed class ResultAnswering
{
    private readonly Lock _gate = new();
    private readonly List<(string Name, JsonElement Payload)> _results = [];
    private (string Event, string Json)? _answer;

    public ResultAnswering(string dir, AdminSettings? admin = null, BackupSettings? backup = null, int slots = 2)
    {
        Outbox = new Outbox(NullLogger<Outbox>.Instance) { DurablePosted = OnPosted };
        Outbox.OnConnected();
        Outbox.OnReady();
        var config = new AgentConfig
        {
            ConfigPath = Path.Join(dir, "agent-config.json"),
            ConfigDirectory = dir,
            ClientId = "c",
            ServerUri = new Uri("http://127.0.0.1:1"),
            AuthToken = "t",
            StateDir = Path.Join(dir, "state"),
            Keys = new KeysSettings { AuthorizedKeysFile = Path.Join(dir, "keys") },
            Logging = new LoggingSettings { File = Path.Join(dir, "agent.log"), AuditFile = Path.Join(dir, "audit.log") },
            Admin = admin ?? new AdminSettings(),
            Backup = backup ?? new BackupSettings(),
        };
        Context = new AgentContext(
            config,
            Dispatcher,
            new EventFrameEncoder("/agents"),
            Outbox,
            new FakeConnection(isReady: true),
            new ConcurrencySlots(slots),
            Audit,
            NullLoggerFactory.Instance,
            TimeProvider.System);
    }

    public EventDispatcher Dispatcher { get; } = new(NullLogger<EventDispatcher>.Instance);

    public Outbox Outbox { get; }

    public Shell.ShellSessionTests.RecordingAudit Audit { get; } = new();

    public AgentContext Context { get; }

    /// <summary>The next result posted is answered with <paramref name="eventName"/> <paramref name="json"/>, once.</summary>
    public void AnswerNextResultWith(string eventName, string json)
    {
        lock (_gate)
        {
            _answer = (eventName, json);
        }
    }

    public async Task DispatchAsync(string eventName, string json)
    {
        using var doc = JsonDocument.Parse(json);
        await Dispatcher.DispatchAsync(new InboundEvent(eventName, doc.RootElement.Clone(), null, false), CancellationToken.None);
    }

    /// <summary>Waits (20 s at most) for <paramref name="count"/> results that <paramref name="match"/>, and fails when there are not exactly that many.</summary>
    public async Task<List<(string Name, JsonElement Payload)>> ResultsAsync(Func<JsonElement, bool> match, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            List<(string Name, JsonElement Payload)> mine;
            lock (_gate)
            {
                mine = [.. _results.Where(r => match(r.Payload))];
            }

            if (mine.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(mine.Count == count, $"{mine.Count} results, expected {count}: {string.Join(" | ", mine.Select(r => r.Name + " " + r.Payload))}; audit: {string.Join(", ", Audit.Entries.Select(a => $"{a.Action}:{a.Outcome}:{a.Reason}"))}");
                return mine;
            }

            await Task.Delay(20);
        }
    }

    private void OnPosted(OutboundEvent e)
    {
        var payload = Shell.ShellSessionTests.Payload(e);
        (string Event, string Json)? answer;
        lock (_gate)
        {
            _results.Add((e.Name, payload));
            answer = _answer;
            _answer = null;
        }

        if (answer is { } a)
        {
            // The poster waits here until the answer has its own result (10 s at most), so
            // whatever the poster would give back only after posting is still held meanwhile.
            int before;
            lock (_gate)
            {
                before = _results.Count;
            }

            DispatchAsync(a.Event, a.Json).GetAwaiter().GetResult();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                lock (_gate)
                {
                    if (_results.Count > before)
                    {
                        return;
                    }
                }

                Thread.Sleep(5);
            }
        }
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Shell;

/// <summary>
/// A peer and an agent configured for shell tests, plus helpers that speak <c>shell_*</c> and
/// read the output back from the peer's records.
/// </summary>
internal sealed class ShellHarness : IAsyncDisposable
{
    private ShellHarness(PeerServer peer, AgentProcess agent, string clientId)
    {
        Peer = peer;
        Agent = agent;
        ClientId = clientId;
    }

    public PeerServer Peer { get; }

    public AgentProcess Agent { get; }

    public string ClientId { get; }

    /// <summary>
    /// Starts both; <paramref name="configure"/> edits the agent config, which already runs
    /// <c>/bin/bash --norc --noprofile -i</c> so no login profile adds noise.
    /// <paramref name="agent"/> chooses how the agent is started (its Config is replaced).
    /// </summary>
    public static async Task<ShellHarness> StartAsync(
        string clientId, Action<JsonObject>? configure = null, PeerOptions? peerOptions = null, AgentOptions? agent = null)
    {
        var peer = await PeerServer.StartAsync(peerOptions ?? new PeerOptions());
        try
        {
            var config = peer.CreateAgentConfig(clientId);
            config["shell"] = new JsonObject
            {
                ["command"] = "/bin/bash",
                ["args"] = new JsonArray("--norc", "--noprofile", "-i"),
            };
            configure?.Invoke(config);
            var process = await AgentProcess.StartAsync((agent ?? new AgentOptions()) with { Config = config });
            try
            {
                await peer.WaitForAsync("sent", r => r.Event == "hello_ack", Waits.Event);
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }

            return new ShellHarness(peer, process, clientId);
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public static JsonObject Section(JsonObject config, string name)
    {
        if (config[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        config[name] = created;
        return created;
    }

    public Task StartShellAsync(string session, int? cols = null, int? rows = null)
    {
        var payload = new JsonObject { ["session"] = session };
        if (cols is not null)
        {
            payload["cols"] = cols;
        }

        if (rows is not null)
        {
            payload["rows"] = rows;
        }

        return Peer.EmitAsync("shell_start", payload);
    }

    public Task InputAsync(string session, string text) =>
        Peer.EmitAsync("shell_input", new JsonObject { ["session"] = session, ["data"] = text });

    /// <summary>Starts a shell and waits until it answers a command (so the prompt and line editing are up).</summary>
    public async Task<OutputReader> OpenShellAsync(string session, int? cols = null, int? rows = null)
    {
        var reader = new OutputReader(this, session);
        await StartShellAsync(session, cols, rows);
        await RunAsync(reader, "echo ready-$((40+2))", "ready-42");
        return reader;
    }

    /// <summary>Types <paramref name="command"/> and waits for <paramref name="expect"/> in the output after it.</summary>
    public async Task<string> RunAsync(OutputReader reader, string command, string expect)
    {
        reader.Mark();
        await InputAsync(reader.Session, command + "\n");
        return await reader.WaitForAsync(expect, Waits.Event);
    }

    public Task<PeerRecord> WaitForClosedAsync(string session, int fromIndex = 0) =>
        Peer.WaitForEventAsync("shell_closed", Waits.Event, r => r.Payload.GetProperty("session").GetString() == session, fromIndex);

    public int CountClosed(string session) =>
        Peer.Records.Count(r => r.Kind == "event" && r.Event == "shell_closed" && r.Payload.GetProperty("session").GetString() == session);

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Peer.DisposeAsync();
    }

    /// <summary>The output of one session as text, read from the peer's records in order.</summary>
    internal sealed class OutputReader
    {
        private readonly ShellHarness _harness;
        private readonly StringBuilder _text = new();
        private int _nextIndex;
        private int _mark;

        public OutputReader(ShellHarness harness, string session)
        {
            _harness = harness;
            Session = session;
        }

        public string Session { get; }

        public int Events { get; private set; }

        /// <summary>Everything received so far.</summary>
        public string Text => _text.ToString();

        /// <summary>Text after the last <see cref="Mark"/>.</summary>
        public string SinceMark => _text.ToString(_mark, _text.Length - _mark);

        /// <summary>Later waits look only at output that arrives from now on.</summary>
        public void Mark()
        {
            Poll();
            _mark = _text.Length;
        }

        public async Task<string> WaitForAsync(string expect, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                Poll();
                var since = SinceMark;
                if (since.Contains(expect, StringComparison.Ordinal))
                {
                    return since;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"'{expect}' not in the output of {Session}; got: {Tail(since)}. {_harness.Peer.Describe()}");
                }

                try
                {
                    await _harness.Peer.WaitForEventAsync("shell_output", left, IsMine, _nextIndex);
                }
                catch (TimeoutException)
                {
                }
            }
        }

        private static string Tail(string s) => s.Length > 600 ? "…" + s[^600..] : s;

        private bool IsMine(PeerRecord r) =>
            r.Payload.ValueKind == JsonValueKind.Object && r.Payload.TryGetProperty("session", out var s) && s.GetString() == Session;

        private void Poll()
        {
            var records = _harness.Peer.Records;
            for (var i = _nextIndex; i < records.Count; i++)
            {
                var r = records[i];
                if (r.Kind == "event" && r.Event == "shell_output" && IsMine(r))
                {
                    _text.Append(r.Payload.GetProperty("data").GetString());
                    Events++;
                }
            }

            _nextIndex = records.Count;
        }
    }
}

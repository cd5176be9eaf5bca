using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// A peer and an agent configured for shell tests, plus helpers that speak <c>shell_*</c> and
/// read the output back from the peer's records (<see cref="ShellOutputReader"/>). Not to be
/// confused with the unit tests' <c>PtyShell</c>, a bare shell in a PTY without an agent.
/// </summary>
internal sealed class AgentShellHarness : IAsyncDisposable
{
    private AgentShellHarness(PeerServer peer, AgentProcess agent, string clientId)
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
    public static async Task<AgentShellHarness> StartAsync(
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

            return new AgentShellHarness(peer, process, clientId);
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
    public async Task<ShellOutputReader> OpenShellAsync(string session, int? cols = null, int? rows = null)
    {
        var reader = new ShellOutputReader(this, session);
        await StartShellAsync(session, cols, rows);
        await RunAsync(reader, "echo ready-$((40+2))", "ready-42");
        return reader;
    }

    /// <summary>Types <paramref name="command"/> and waits for <paramref name="expect"/> in the output after it.</summary>
    public async Task<string> RunAsync(ShellOutputReader reader, string command, string expect)
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
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.IntegrationTests.Keys;

namespace Tether.IntegrationTests.Update;

/// <summary>The peer, an HTTPS file server with its own CA, the sandbox, and the agent running from the sandbox's binary.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class UpdateWorld : IAsyncDisposable
{
    private TestCertificates _certs = null!;

    public required string ClientId { get; init; }

    public PeerServer Peer { get; private set; } = null!;

    public KeysHttpsServer Files { get; private set; } = null!;

    public UpdateSandbox Box { get; } = new();

    public AgentProcess Agent { get; private set; } = null!;

    /// <summary>How long a restart into another build may take (it starts, connects, reports).</summary>
    public static readonly TimeSpan Restart = TimeSpan.FromSeconds(60);

    /// <summary>Starts the world; with <paramref name="pause"/> the first agent pauses at that step of an update (TETHER_UPDATE_TEST_PAUSE).</summary>
    public static async Task<UpdateWorld> StartAsync(string clientId, int probationSec, string? pause = null)
    {
        var world = new UpdateWorld { ClientId = clientId };
        world._certs = TestCertificates.Create();
        world.Files = KeysHttpsServer.Start(world._certs.ServerCertPemPath, world._certs.ServerKeyPemPath);
        world.Peer = await PeerServer.StartAsync();
        var config = world.Box.Config(world.Peer.CreateAgentConfig(clientId), probationSec, caFile: world._certs.CaPemPath);
        config["statsIntervalSec"] = 1;
        world.Box.WriteConfig(config);
        world.Agent = await world.StartAgentAsync(pause);
        await world.Peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == clientId);
        return world;
    }

    public Task<AgentProcess> StartAgentAsync(string? pause = null) =>
        AgentProcess.StartAsync(new AgentOptions
        {
            Executable = Box.Binary,
            Verb = "run",
            ExtraArgs = ["--config", Box.ConfigPath],
            WorkingDirectory = Box.Root,
            // No service manager here, even when the test run itself is a systemd unit: the agent re-execs itself.
            Environment = new Dictionary<string, string?> { ["INVOCATION_ID"] = null, ["TETHER_UPDATE_TEST_PAUSE"] = pause },
        });

    public static string? Version(PeerRecord record) =>
        record.Payload.ValueKind == JsonValueKind.Object && record.Payload.TryGetProperty("data", out var data) && data.TryGetProperty("agentVersion", out var v) ? v.GetString() : null;

    /// <summary>The version a <c>connect</c> record's User-Agent header names (<c>tether/VERSION</c>), or null.</summary>
    public static string? ConnectVersion(PeerRecord record) =>
        record.Json.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object
        && headers.TryGetProperty("user-agent", out var agent) && agent.ValueKind == JsonValueKind.String
        && agent.GetString() is { } text && text.StartsWith("tether/", StringComparison.Ordinal)
            ? text["tether/".Length..]
            : null;

    /// <summary>
    /// After a rollback while the peer gives no <c>hello_ack</c>: waits until the restored build's
    /// connection reached the peer (the <paramref name="connects"/>-th connect of the client that
    /// <paramref name="match"/> accepts, from <paramref name="fromIndex"/>), turns <c>hello_ack</c>
    /// on and drops that connection, so the reconnect gets one and sends the queued result. That
    /// connection never had a <c>hello_ack</c>, so it carries no result yet. Dropping a connection
    /// that had one could cut off the result written to it in the same moment, and without a
    /// socket.io ack (none in the contract) no agent can tell.
    /// </summary>
    public static async Task AcknowledgeRestoredBuildAsync(PeerServer peer, string clientId, Func<PeerRecord, bool> match, int fromIndex, int connects = 1)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(match);
        await peer.WaitForCountAsync("connect", connects, r => r.ClientId == clientId && match(r), Restart, fromIndex);
        await peer.SetHelloAckAsync(true);
        await peer.DisconnectClientsAsync(clientId);
    }

    public static async Task WaitForLogAsync(UpdateSandbox box, string text) =>
        Assert.True(await Poll.UntilAsync(() => File.Exists(box.LogPath) && File.ReadAllText(box.LogPath).Contains(text, StringComparison.Ordinal), Restart), "no log line: " + text);

    /// <summary>Waits until the agent says it paused at <paramref name="step"/>, then SIGKILLs it and waits for its end.</summary>
    public async Task KillAtPauseAsync(string step)
    {
        string line = "tether: update test pause at " + step;
        Assert.True(
            await Poll.UntilAsync(() => Agent.StandardErrorLines.Any(l => l.Contains(line, StringComparison.Ordinal)), Restart),
            "the agent never paused at " + step + Agent.Describe());
        Agent.SendSignal(UnixSignals.SIGKILL);
        await Agent.WaitForExitAsync(Waits.Event);
    }

    public Task EmitUpdateAsync(byte[] manifest, byte[] signature, string path) =>
        Peer.EmitAsync("agent_update", new JsonObject
        {
            ["manifest"] = Encoding.UTF8.GetString(manifest),
            ["signature"] = Convert.ToBase64String(signature),
            ["url"] = Files.BaseUrl + path,
        }, ClientId);

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Peer.DisposeAsync();
        await Files.DisposeAsync();
        _certs.Dispose();
        Box.Dispose();
    }
}

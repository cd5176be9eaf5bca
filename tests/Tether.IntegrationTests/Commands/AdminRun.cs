using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Commands;

/// <summary>Sends <c>admin_run</c> through the peer and waits for the matching <c>admin_result</c>.</summary>
internal static class AdminRun
{
    public static JsonObject Config(PeerServer peer, string clientId, params string[] allowed)
    {
        var config = peer.CreateAgentConfig(clientId);
        config["admin"] = new JsonObject { ["allowedCommands"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]) };
        return config;
    }

    /// <summary>Waits until the agent is acknowledged (its first stats follow hello_ack).</summary>
    public static Task<PeerRecord> ReadyAsync(PeerServer peer, string clientId) =>
        peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == clientId);

    public static Task EmitAsync(PeerServer peer, string clientId, string token, string command, Action<JsonObject>? cmd = null)
    {
        var c = new JsonObject { ["command"] = command };
        cmd?.Invoke(c);
        return peer.EmitAsync("admin_run", new JsonObject { ["token"] = token, ["cmd"] = c }, clientId);
    }

    public static async Task<PeerRecord> ResultAsync(PeerServer peer, string token, TimeSpan? timeout = null, int fromIndex = 0) =>
        await peer.WaitForEventAsync("admin_result", timeout ?? Waits.Event, r => Token(r) == token, fromIndex);

    public static async Task<JsonElement> RunAsync(PeerServer peer, string clientId, string token, string command, Action<JsonObject>? cmd = null, TimeSpan? timeout = null)
    {
        await EmitAsync(peer, clientId, token, command, cmd);
        return (await ResultAsync(peer, token, timeout)).Payload;
    }

    public static string? Token(PeerRecord r) =>
        r.Payload.ValueKind == JsonValueKind.Object && r.Payload.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    public static int Code(JsonElement payload) => payload.GetProperty("result").GetProperty("summary").GetProperty("code").GetInt32();

    public static string Stdout(JsonElement payload) => payload.GetProperty("result").GetProperty("stdout").GetString()!;

    public static string Stderr(JsonElement payload) => payload.GetProperty("result").GetProperty("stderr").GetString()!;

    public static bool Truncated(JsonElement payload) =>
        payload.GetProperty("result").GetProperty("summary").TryGetProperty("truncated", out var t) && t.GetBoolean();

    /// <summary>Audit records whose token is <paramref name="token"/>.</summary>
    public static List<JsonElement> Audit(IReadOnlyList<JsonElement> records, string token) =>
        [.. records.Where(r => r.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == token)];
}

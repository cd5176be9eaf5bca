using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Backup;

/// <summary>Sends backup requests through the peer and waits for the events of one plan.</summary>
internal static class BackupHarness
{
    public static JsonObject Job(string planId, string destRoot, string[] sources, string[]? globs = null, string host = "", string user = "", int port = 22) => new()
    {
        ["planId"] = planId,
        ["host"] = host,
        ["user"] = user,
        ["port"] = port,
        ["sourceDirs"] = new JsonArray([.. sources.Select(s => (JsonNode)s)]),
        ["destRoot"] = destRoot,
        ["ignoreGlobs"] = new JsonArray([.. (globs ?? []).Select(g => (JsonNode)g)]),
    };

    public static Task<PeerRecord> ReadyAsync(PeerServer peer, string clientId) =>
        peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == clientId);

    public static string? PlanId(PeerRecord r) =>
        r.Payload.ValueKind == JsonValueKind.Object && r.Payload.TryGetProperty("planId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>The first backup_complete or backup_error for <paramref name="planId"/> from <paramref name="fromIndex"/>.</summary>
    public static async Task<PeerRecord> EndAsync(PeerServer peer, string planId, TimeSpan timeout, int fromIndex = 0)
    {
        var complete = peer.WaitForEventAsync("backup_complete", timeout, r => PlanId(r) == planId, fromIndex);
        var error = peer.WaitForEventAsync("backup_error", timeout, r => PlanId(r) == planId, fromIndex);
        var first = await Task.WhenAny(complete, error);
        return await first;
    }

    public static async Task<JsonElement> CompleteAsync(PeerServer peer, string planId, TimeSpan timeout, int fromIndex = 0)
    {
        var end = await EndAsync(peer, planId, timeout, fromIndex);
        Assert.True(end.Event == "backup_complete", $"expected backup_complete, got {end.Line}");
        return end.Payload;
    }

    public static async Task<string> ErrorAsync(PeerServer peer, string planId, int fromIndex = 0)
    {
        var end = await EndAsync(peer, planId, Waits.Event, fromIndex);
        Assert.True(end.Event == "backup_error", $"expected backup_error, got {end.Line}");
        return end.Payload.GetProperty("error").GetString()!;
    }
}

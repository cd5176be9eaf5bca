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

    /// <summary>Lets the agent's backups read and write under <paramref name="roots"/> (docs/protocol.md §5: no roots, no backups).</summary>
    public static JsonObject AllowRoots(JsonObject config, params string[] roots)
    {
        var backup = config["backup"] as JsonObject ?? new JsonObject();
        backup["allowedSourceRoots"] = new JsonArray([.. roots.Select(r => (JsonNode)r)]);
        backup["allowedDestRoots"] = new JsonArray([.. roots.Select(r => (JsonNode)r)]);
        config["backup"] = backup;
        return config;
    }

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

    /// <summary>docs/protocol.md §5 pacing as the peer saw it: from start to end no gap over 2 s between progress events, never more than 5 in a second.</summary>
    public static void AssertPacing(PeerServer peer, string planId, int fromIndex)
    {
        var records = peer.Records.Where(r => r.Index >= fromIndex && BackupHarness.PlanId(r) == planId).ToList();
        var start = records.First(r => r.Kind == "sent" && r.Event == "backup_start").Time;
        var end = records.First(r => r.Kind == "event" && r.Event is "backup_complete" or "backup_error").Time;
        var times = records.Where(r => r.Kind == "event" && r.Event == "backup_progress").Select(r => r.Time).ToList();
        var points = new List<DateTimeOffset> { start };
        points.AddRange(times);
        points.Add(end);
        Assert.All(points.Zip(points.Skip(1)), p => Assert.True(p.Second - p.First <= TimeSpan.FromSeconds(2), $"progress gap {(p.Second - p.First).TotalMilliseconds} ms"));
        for (int i = 0; i + 5 < times.Count; i++)
        {
            Assert.True(times[i + 5] - times[i] >= TimeSpan.FromSeconds(1), $"6 progress events within {(times[i + 5] - times[i]).TotalMilliseconds} ms");
        }
    }

    public static async Task<string> ErrorAsync(PeerServer peer, string planId, int fromIndex = 0)
    {
        var end = await EndAsync(peer, planId, Waits.Event, fromIndex);
        Assert.True(end.Event == "backup_error", $"expected backup_error, got {end.Line}");
        return end.Payload.GetProperty("error").GetString()!;
    }
}

/// <summary>Watches a destination for the copier's temporary files, to act in the middle of a copy.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class PartialFiles
{
    /// <summary>
    /// Stops the agent (see <see cref="ProcessFreeze"/>) once a temporary file exists under
    /// <paramref name="root"/>: created (the plan is made and a copy begins) or, with
    /// <paramref name="nonEmpty"/>, with bytes in it. Disposing the result resumes the agent.
    /// </summary>
    public static Task<ProcessFreeze> FreezeAgentAtFirstAsync(AgentProcess agent, string root, bool nonEmpty = false) =>
        ProcessFreeze.WhenAsync(agent.ProcessId, () => Exist(root, nonEmpty), Waits.Event, $"a temporary file under {root}");

    private static bool Exist(string root, bool nonEmpty) =>
        Directory.Exists(root)
        && Directory.EnumerateFiles(root, "*" + Tether.Backup.LocalCopier.TempSuffix, SearchOption.AllDirectories).Any(f => !nonEmpty || new FileInfo(f).Length > 0);
}

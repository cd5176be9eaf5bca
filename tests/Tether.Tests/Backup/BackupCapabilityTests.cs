using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.Backup;
using Tether.Config;
using Tether.Logging;
using Tether.Tests.Infrastructure;

namespace Tether.Tests.Backup;

/// <summary>
/// The plan's slot against its result (docs/protocol.md §5: one run per planId at a time): a
/// dashboard that starts a plan again as soon as its result arrives gets a new run, never
/// "already running" (the request is answered on the poster's thread, before the job goes on).
/// </summary>
public sealed class BackupCapabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-backup-cap-");
    private readonly ResultAnswering _world;

    public BackupCapabilityTests()
    {
        _world = new ResultAnswering(_dir.Path, backup: new BackupSettings { AllowedSourceRoots = [_dir.Path], AllowedDestRoots = [_dir.Path] });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AStartAnsweringACompleteAtOnce_IsANewRun()
    {
        string src = _dir.Join("data", "src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Join(src, "f"), "one");
        var capability = new BackupCapability(_world.Context);

        string job = Job("again", src);
        _world.AnswerNextResultWith("backup_start", job);
        await _world.DispatchAsync("backup_start", job);

        var ends = await _world.ResultsAsync(p => PlanId(p) == "again", 2);
        Assert.All(ends, e => Assert.Equal("backup_complete", e.Name));
        Assert.Equal(["backup_start:Ok", "backup_end:Ok", "backup_start:Ok", "backup_end:Ok"], AuditOf("again"));
        await capability.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AStartAnsweringAnError_IsANewRun()
    {
        var capability = new BackupCapability(_world.Context);
        string job = Job("again-bad", _dir.Join("data", "gone"));
        _world.AnswerNextResultWith("backup_start", job);
        await _world.DispatchAsync("backup_start", job);

        var ends = await _world.ResultsAsync(p => PlanId(p) == "again-bad", 2);
        Assert.All(ends, e => Assert.Equal("backup_error", e.Name));
        Assert.DoesNotContain(_world.Audit.Entries, e => e.Reason == "already running");
        await capability.ShutdownAsync(CancellationToken.None);
    }

    private static string? PlanId(JsonElement payload) =>
        payload.TryGetProperty("planId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private List<string> AuditOf(string planId) =>
        [.. _world.Audit.Entries.Where(e => e.PlanId == planId).Select(e => AuditLog.ActionName(e.Action) + ":" + e.Outcome)];

    private string Job(string planId, string source) =>
        new JsonObject { ["planId"] = planId, ["sourceDirs"] = new JsonArray(source), ["destRoot"] = _dir.Join("dest") }.ToJsonString();
}

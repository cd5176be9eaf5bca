using Tether.Backup;

namespace Tether.Tests.Backup;

/// <summary>docs/protocol.md §5: job state files are bounded; the newest and the current plan's stay.</summary>
public sealed class JobStateStoreTests
{
    [Fact]
    public void Prune_KeepsTheNewestHundred_AndAlwaysTheCurrentPlan()
    {
        using var dir = new TempDirectory();
        var store = new JobStateStore(dir.Path);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < JobStateStore.MaxKept + 5; i++)
        {
            store.Write($"plan-{i}", "complete", new BackupProgress(), null, DateTimeOffset.UnixEpoch);
            File.SetLastWriteTimeUtc(store.PathFor($"plan-{i}"), start.AddMinutes(i));
        }

        // plan-0 is the oldest but its job just ended: it stays.
        int removed = store.Prune("plan-0");

        Assert.Equal(5, removed);
        Assert.Equal(JobStateStore.MaxKept, Directory.GetFiles(dir.Path, "backup-*.json").Length);
        Assert.True(File.Exists(store.PathFor("plan-0")));
        Assert.Equal("complete", store.ReadStatus("plan-0"));
        foreach (int gone in new[] { 1, 2, 3, 4, 5 })
        {
            Assert.False(File.Exists(store.PathFor($"plan-{gone}")), $"plan-{gone}");
        }

        Assert.True(File.Exists(store.PathFor("plan-6")));
        Assert.Equal(0, store.Prune("plan-0"));
    }
}

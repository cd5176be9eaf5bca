using Tether.Backup;

namespace Tether.Tests.Backup;

/// <summary>The planner's selection equals <c>rsync -a --dry-run</c>'s with the same excludes.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlannerOracleTests
{
    public static TheoryData<string[]> PatternSets() => new()
    {
        Array.Empty<string>(),
        new[] { "*.log" },
        new[] { "cache/" },
        new[] { "/top-only" },
        new[] { "**/tmp/**" },
        new[] { "[ab]*.txt" },
        new[] { "dir/*.bin" },
        new[] { "*.log", "cache/", "/top-only", "**/tmp/**", "[ab]*.txt", "dir/*.bin" },
        new[] { "tmp", "*link*", "sub/", "ü*" },
        new[] { "with space", "line?break.txt", "big/**" },
    };

    [Theory]
    [MemberData(nameof(PatternSets))]
    public void Planner_Selection_EqualsRsyncDryRun(string[] globs)
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        TestTree.Standard(src, largeBytes: 1 << 20);
        Assert.True(ExcludeRules.TryCreate(globs, out var rules, out var error), error);

        var plan = BackupPlanner.PlanSource(src, Path.Join(dir.Path, "dest", "src"), "src", rules!, CancellationToken.None);
        var expected = RsyncOracle.DryRun(src, Path.Join(dir.Path, "empty"), globs);

        Assert.Equal(expected, RsyncOracle.Selection(plan));
    }

    [Fact]
    public void Planner_Modifies_EqualsRsyncDryRunAgainstAPartialCopy()
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        string dest = Path.Join(dir.Path, "dest");
        TestTree.Standard(src, largeBytes: 1 << 20);
        RsyncOracle.Copy(src, dest, []);
        File.WriteAllText(Path.Join(dest, "a.txt"), "changed size");
        File.SetLastWriteTimeUtc(Path.Join(dest, "b.txt"), DateTime.UtcNow);
        File.Delete(Path.Join(dest, "sub", "a1.txt"));
        Directory.Delete(Path.Join(dest, "dir"), recursive: true);

        var plan = new BackupPlan([BackupPlanner.PlanSource(src, dest, "src", ExcludeRules.None, CancellationToken.None)]);
        var rsyncFiles = RsyncOracle.DryRun(src, dest, []).Where(p => File.Exists(Path.Join(src, p)) && !new FileInfo(Path.Join(src, p)).Attributes.HasFlag(FileAttributes.ReparsePoint)).ToHashSet();

        Assert.Equal(rsyncFiles.Order(StringComparer.Ordinal), plan.Sources[0].Entries.Where(e => e.Modifies).Select(e => e.RelativePath).Order(StringComparer.Ordinal));
        Assert.Equal(rsyncFiles.Count, plan.Modifies);
    }

    [Fact]
    public void Planner_Totals_CountRegularFilesOnly()
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        new TestTree(src).File("a", 10).File("d/b", 0).File("d/e/c", 5).Link("l", "a").Dir("empty");

        var plan = new BackupPlan([BackupPlanner.PlanSource(src, Path.Join(dir.Path, "nowhere"), "src", ExcludeRules.None, CancellationToken.None)]);

        Assert.Equal(3, plan.TotalFiles);
        Assert.Equal(15, plan.TotalBytes);
        Assert.Equal(3, plan.Modifies);
        Assert.Equal(["src/a", "src/d/b", "src/d/e/c"], plan.ModifiedPaths());
    }
}

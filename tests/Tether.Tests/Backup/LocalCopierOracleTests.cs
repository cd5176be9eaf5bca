using System.Collections.Concurrent;
using Tether.Backup;

namespace Tether.Tests.Backup;

/// <summary>The local copier's result equals <c>rsync -a</c>'s: paths, types, sizes, modes, mtimes (ns), link targets, contents.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalCopierOracleTests
{
    public static TheoryData<string[]> PatternSets() => new()
    {
        Array.Empty<string>(),
        new[] { "*.log", "cache/", "/top-only", "**/tmp/**", "[ab]*.txt", "dir/*.bin" },
    };

    [Theory]
    [MemberData(nameof(PatternSets))]
    public async Task Copier_FreshCopy_EqualsRsyncA(string[] globs)
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        TestTree.Standard(src);
        string rsyncDest = Path.Join(dir.Path, "rsync");
        RsyncOracle.Copy(src, rsyncDest, globs);

        var progress = await CopyAsync(src, Path.Join(dir.Path, "ours"), globs);

        var srcSnap = RsyncOracle.Snapshot(src);
        AssertSameTree(rsyncDest, Path.Join(dir.Path, "ours", "src"), srcSnap);
        Assert.True(progress.TransferredBytes > 3 << 20);
    }

    [Fact]
    public async Task Copier_OverAnOlderCopy_UpdatesLikeRsyncAndSkipsUnchanged()
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        TestTree.Standard(src, largeBytes: 1 << 20);
        string ours = Path.Join(dir.Path, "ours");
        await CopyAsync(src, ours, []);

        // Change the source and the copy in ways rsync -a repairs.
        File.WriteAllText(Path.Join(src, "a.txt"), "new content, new size");
        File.SetUnixFileMode(Path.Join(src, "b.txt"), (UnixFileMode)0b111_000_000);
        File.Delete(Path.Join(src, "link-in"));
        File.CreateSymbolicLink(Path.Join(src, "link-in"), "c.txt");
        File.Delete(Path.Join(ours, "src", "sub", "a1.txt"));
        File.WriteAllText(Path.Join(ours, "src", "c.txt"), "XX");
        File.SetUnixFileMode(Path.Join(src, "sub"), (UnixFileMode)0b101_101_101);
        new TestTree(src).Freeze();

        string rsyncDest = Path.Join(dir.Path, "rsync");
        RsyncOracle.Copy(src, rsyncDest, []);
        var progress = await CopyAsync(src, ours, []);

        AssertSameTree(rsyncDest, Path.Join(ours, "src"));
        Assert.Equal(3, progress.FilesTransferred);

        var again = await CopyAsync(src, ours, []);
        Assert.Equal(0, again.FilesTransferred);
        Assert.Equal(0, again.TransferredBytes);
        File.SetUnixFileMode(Path.Join(src, "sub"), (UnixFileMode)0b111_101_101);
    }

    [Fact]
    public async Task Copier_ReRunOfAnUnchangedTree_ChangesNothing_NotEvenACtime_AndRepairsAFolderChangedAtTheDestination()
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        TestTree.Standard(src, largeBytes: 1 << 20);
        string ours = Path.Join(dir.Path, "ours");
        await CopyAsync(src, ours, []);
        var before = ChangeTimes(Path.Join(ours, "src"));

        // The clock moves on, so any chmod, chown or utimes of the re-run would show in a ctime.
        Thread.Sleep(50);
        var again = await CopyAsync(src, ours, []);

        Assert.Equal(0, again.FilesTransferred);
        Assert.Equal(before, ChangeTimes(Path.Join(ours, "src")));

        // A folder of the copy gets another mode and mtime: the next run puts them back.
        File.SetUnixFileMode(Path.Join(ours, "src", "with space"), (UnixFileMode)0b111_000_000);
        Directory.SetLastWriteTimeUtc(Path.Join(ours, "src", "with space"), DateTime.UtcNow);
        string rsyncDest = Path.Join(dir.Path, "rsync");
        RsyncOracle.Copy(src, rsyncDest, []);
        await CopyAsync(src, ours, []);
        AssertSameTree(rsyncDest, Path.Join(ours, "src"));
    }

    [Fact]
    public async Task Copier_ReRun_OpensOnlyTheFoldersOnTheWayToAChange()
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        new TestTree(src).File("a/b/c/changed").File("a/b/same").File("a/other/x").File("d/y").Link("e/link", "../d/y").File("top").Freeze();
        string ours = Path.Join(dir.Path, "ours");
        await CopyAsync(src, ours, []);
        File.WriteAllText(Path.Join(src, "a", "b", "c", "changed"), "a new size");

        var opened = new ConcurrentQueue<string>();
        var progress = await CopyAsync(src, ours, [], opened.Enqueue);

        // e holds a symlink, whose target at the destination only a readlink can tell.
        Assert.Equal(["a", "a/b", "a/b/c", "a/b/c/changed", "e", "e/link"], opened.Order(StringComparer.Ordinal));
        Assert.Equal(1, progress.FilesTransferred);
        string rsyncDest = Path.Join(dir.Path, "rsync");
        RsyncOracle.Copy(src, rsyncDest, []);
        AssertSameTree(rsyncDest, Path.Join(ours, "src"));
    }

    /// <summary>Every entry's ctime (ns) under <paramref name="root"/>, read by GNU find.</summary>
    private static string ChangeTimes(string root)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("find") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { root, "-printf", "%P %C@\n" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return string.Join('\n', output.Split('\n').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Copier_LeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        TestTree.Standard(src, largeBytes: 1 << 20);

        await CopyAsync(src, Path.Join(dir.Path, "ours"), []);

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(dir.Path, "ours"), "*" + LocalCopier.TempSuffix, SearchOption.AllDirectories));
    }

    internal static void AssertSameTree(string expectedRoot, string actualRoot, SortedDictionary<string, string>? source = null)
    {
        var expected = RsyncOracle.Snapshot(expectedRoot);
        var actual = RsyncOracle.Snapshot(actualRoot);
        var diff = expected.Keys.Union(actual.Keys)
            .Where(k => !expected.TryGetValue(k, out var e) || !actual.TryGetValue(k, out var a) || e != a)
            .Select(k => $"{TestTree.Describe(k)}: rsync [{expected.GetValueOrDefault(k)}] ours [{actual.GetValueOrDefault(k)}] src [{source?.GetValueOrDefault(k)}]")
            .ToList();
        Assert.True(diff.Count == 0, string.Join("\n", diff));
    }

    /// <summary>Plans and copies <paramref name="src"/> to <c>destRoot/src</c>; checks that every planned file was counted done.</summary>
    internal static async Task<BackupProgress> CopyAsync(string src, string destRoot, string[] globs, Action<string>? beforeOpen = null)
    {
        Assert.True(ExcludeRules.TryCreate(globs, out var rules, out var error), error);
        var plan = new BackupPlan([BackupPlanner.PlanSource(src, Path.Join(destRoot, "src"), "src", rules!, CancellationToken.None)]);
        var progress = new BackupProgress { TotalBytes = plan.TotalBytes, TotalFiles = plan.TotalFiles };
        await new LocalCopier(progress) { BeforeOpen = beforeOpen }.CopyAsync(plan, CancellationToken.None);
        Assert.Equal(plan.TotalFiles, progress.FilesDone);
        return progress;
    }
}

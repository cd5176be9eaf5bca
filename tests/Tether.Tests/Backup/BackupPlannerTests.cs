using System.Text;
using Tether.Backup;
using Tether.Platform.FileSystem;

namespace Tether.Tests.Backup;

/// <summary>
/// The planner's walk with several workers: the same plan, in the same order, whatever their
/// number and timing; a destination symlink is never followed; an error or a cancellation in any
/// worker ends the plan (what it selects is checked against rsync in <see cref="PlannerOracleTests"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupPlannerTests
{
    private static readonly Comparer<byte[]> Bytewise = Comparer<byte[]>.Create(static (x, y) => x.AsSpan().SequenceCompareTo(y));

    [Fact]
    public void CompareUtf8_OrdersNamesByTheirUtf8Bytes_AsRsyncDoes()
    {
        // Pools around the one place where UTF-16 and UTF-8 orders differ: U+E000..U+FFFF against
        // characters beyond the BMP (surrogate pairs).
        string[] pool = ["a", "z", "~", "é", "中", "\uD7FF", "\uE000", "\uF8FF", "\uFF21", "\uFFFD", "😀", "𝄞", "\U0010FFFD"];
        var random = new Random(13);
        string Next() => string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => pool[random.Next(pool.Length)]));

        Assert.True(BackupPlanner.CompareUtf8("\uFF21", "😀") < 0, "U+FF21 is EF BC A1 in UTF-8, before F0 9F 98 80");
        Assert.True(BackupPlanner.CompareUtf8("😀", "\uE000") > 0);
        for (int i = 0; i < 20_000; i++)
        {
            string a = Next(), b = Next();
            int expected = Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
            Assert.True(expected == Math.Sign(BackupPlanner.CompareUtf8(a, b)), $"'{a}' vs '{b}'");
        }
    }

    [Fact]
    public void Plan_IsPreOrderWithNamesInUtf8Order_TheSameForAnyNumberOfWorkers()
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        string dest = dir.Join("dest");
        MakeTree(src);
        Assert.True(ExcludeRules.TryCreate(["*.skip", "cache/"], out var rules, out var error), error);
        var expected = ReferenceOrder(src, rules!);

        // The destination has d000 (one file equal), and a symlink where the source has d001.
        Directory.CreateDirectory(Path.Join(dest, "d000", "s0"));
        File.Copy(Path.Join(src, "d000", "s0", "f0.txt"), Path.Join(dest, "d000", "s0", "f0.txt"));
        File.SetLastWriteTimeUtc(Path.Join(dest, "d000", "s0", "f0.txt"), File.GetLastWriteTimeUtc(Path.Join(src, "d000", "s0", "f0.txt")));
        File.CreateSymbolicLink(Path.Join(dest, "d001"), Path.Join(src, "d001"));

        string? first = null;
        foreach (int workers in new[] { 1, 2, 3, 8 })
        {
            var plan = BackupPlanner.PlanSource(src, dest, "src", rules!, compareWithDest: true, workers, CancellationToken.None);

            Assert.Equal(expected, plan.Entries.Select(static e => e.RelativePath));
            Assert.Equal(FileKind.Symlink, plan.Entries.Single(static e => e.RelativePath == "d001").Dest?.Kind);
            Assert.All(plan.Entries.Where(static e => e.RelativePath.StartsWith("d001/", StringComparison.Ordinal)), static e => Assert.Null(e.Dest));
            Assert.False(plan.Entries.Single(static e => e.RelativePath == "d000/s0/f0.txt").Modifies);
            Assert.Equal(plan.Entries.Count(static e => e.Kind == FileKind.File) - 1, plan.Entries.Count(static e => e.Modifies));

            string described = string.Join('\n', plan.Entries.Select(static e => $"{e.RelativePath} {e.Stat} {e.LinkTarget} {e.Dest}"));
            first ??= described;
            Assert.Equal(first, described);
        }
    }

    [Fact]
    public void Plan_WhenAFolderCannotBeListed_ThrowsThatError_WhicheverWorkerMetIt()
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        MakeTree(src);

        // Deeper than PATH_MAX: made folder by folder relative to the one before, since no single path can name it.
        var files = new UnixFileSystem();
        var folder = files.OpenFolderPath(Path.Join(src, "d017"), create: false);
        for (int i = 0; i < 20; i++)
        {
            files.CreateFolder(folder, new string('a', 250));
            using var parent = folder;
            folder = files.OpenFolder(parent, new string('a', 250));
        }

        folder.Dispose();
        try
        {
            foreach (int workers in new[] { 1, 4 })
            {
                Assert.ThrowsAny<IOException>(() => BackupPlanner.PlanSource(src, dir.Join("dest"), "src", ExcludeRules.None, compareWithDest: true, workers, CancellationToken.None));
            }
        }
        finally
        {
            TestTree.RunChecked("rm", "-rf", src);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Plan_AFolderGoneBeforeItIsListed_IsPlannedEmpty_AndTheCopyNamesIt_AfterCopyingTheRest(int workers)
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        MakeTree(src);
        string dest = dir.Join("ours", "src");

        var plan = BackupPlanner.PlanSource(src, dest, "src", ExcludeRules.None, compareWithDest: true, workers, CancellationToken.None, relative =>
        {
            if (relative == "d005")
            {
                Directory.Delete(Path.Join(src, "d005"), recursive: true);
            }
            else if (relative == "d006")
            {
                Directory.Delete(Path.Join(src, "d006"), recursive: true);
                File.WriteAllText(Path.Join(src, "d006"), "a file now");
            }
        });

        var paths = plan.Entries.Select(static e => e.RelativePath).ToList();
        Assert.Contains("d005", paths);
        Assert.Contains("d006", paths);
        Assert.DoesNotContain(paths, static p => p.StartsWith("d005/", StringComparison.Ordinal) || p.StartsWith("d006/", StringComparison.Ordinal));
        Assert.Contains("d007/s1/f0.txt", paths);
        Assert.Equal(((40 - 2) * 2 * 2) + (BackupPlanner.SliceNames * 2) + 300 + 1, plan.Entries.Count(static e => e.Kind == FileKind.File));

        var job = new BackupPlan([plan]);
        var progress = new BackupProgress { TotalBytes = job.TotalBytes, TotalFiles = job.TotalFiles };
        var e = await Assert.ThrowsAsync<IOException>(() => new LocalCopier(progress).CopyAsync(job, CancellationToken.None));
        Assert.Contains("'src/d005'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'src/d006'", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(dest, "d007", "s1", "f0.txt")));
        Assert.True(File.Exists(Path.Join(dest, "wide", "cache", "in-excluded-folder")));
    }

    [Fact]
    public void Plan_Cancelled_ThrowsOperationCanceled()
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        MakeTree(src);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => BackupPlanner.PlanSource(src, dir.Join("dest"), "src", ExcludeRules.None, compareWithDest: true, 4, cts.Token));
    }

    /// <summary>40 folders of two sub-folders, one folder wide enough to be stat'ed in several slices, names on both sides of the UTF-16/UTF-8 difference, links, excluded entries.</summary>
    private static void MakeTree(string src)
    {
        for (int d = 0; d < 40; d++)
        {
            for (int s = 0; s < 2; s++)
            {
                string folder = Path.Join(src, $"d{d:000}", $"s{s}");
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Join(folder, "f0.txt"), new string('x', d + s));
                File.WriteAllText(Path.Join(folder, "f1.skip"), "excluded");
            }
        }

        string wide = Path.Join(src, "wide");
        Directory.CreateDirectory(Path.Join(wide, "cache"));
        File.WriteAllText(Path.Join(wide, "cache", "in-excluded-folder"), "x");
        string[] marks = ["", "é", "中", "\uF8FF", "\uFF21", "😀", "𝄞"];
        for (int i = 0; i < BackupPlanner.SliceNames * 2 + 300; i++)
        {
            File.WriteAllText(Path.Join(wide, $"{marks[i % marks.Length]}{i:x}"), "w");
        }

        File.CreateSymbolicLink(Path.Join(wide, "link-to-d000"), "../d000");
        File.CreateSymbolicLink(Path.Join(src, "dangling"), "nowhere");
    }

    /// <summary>The plan's order, walked plainly: pre-order, names by UTF-8 bytes, links never descended, excluded entries left out.</summary>
    private static List<string> ReferenceOrder(string root, ExcludeRules rules)
    {
        var order = new List<string> { string.Empty };
        void Walk(string relative)
        {
            var names = Directory.EnumerateFileSystemEntries(relative.Length == 0 ? root : Path.Join(root, relative))
                .Select(static p => Path.GetFileName(p))
                .OrderBy(static n => Encoding.UTF8.GetBytes(n), Bytewise);
            foreach (var name in names)
            {
                string child = relative.Length == 0 ? name : relative + "/" + name;
                var info = new FileInfo(Path.Join(root, child));
                bool isDir = info.LinkTarget is null && info.Attributes.HasFlag(FileAttributes.Directory);
                if (rules.IsExcluded(child, isDir))
                {
                    continue;
                }

                order.Add(child);
                if (isDir)
                {
                    Walk(child);
                }
            }
        }

        Walk(string.Empty);
        return order;
    }
}

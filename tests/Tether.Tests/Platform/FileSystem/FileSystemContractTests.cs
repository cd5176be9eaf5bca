using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Backup;
using Tether.Platform.FileSystem;
using Tether.Tests.Backup;

namespace Tether.Tests.Platform.FileSystem;

/// <summary>
/// What Backup and Keys rely on from <see cref="IFileSystem"/>, run against the Unix
/// implementation and against the Windows one (System.IO only, so it runs here too).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FileSystemContractTests
{
    public static TheoryData<string> Implementations() => new() { "unix", "windows" };

    [Theory]
    [MemberData(nameof(Implementations))]
    public void CreateWriteSetTimesReplace_GivesTheNewFileItsTimeUnderTheOldName(string name)
    {
        var files = Create(name);
        using var dir = new TempDirectory();
        string target = Path.Join(dir.Path, "target");
        File.WriteAllText(target, "old");
        string temp = Path.Join(dir.Path, ".target.part");

        using (SafeFileHandle output = files.CreateForWrite(temp))
        {
            RandomAccess.Write(output, "new content"u8, 0);
            files.SetTimes(output, 1_600_000_000, 123_456_700, temp);
        }

        files.Replace(temp, target);

        Assert.False(File.Exists(temp));
        Assert.Equal("new content", File.ReadAllText(target));
        Assert.True(files.TryLstat(target, out var stat, out _));
        Assert.Equal((FileKind.File, 11L, 1_600_000_000L, 123_456_700u), (stat.Kind, stat.Size, stat.MtimeSec, stat.MtimeNsec));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void CreateForWrite_OverAnExistingFile_TruncatesIt(string name)
    {
        var files = Create(name);
        using var dir = new TempDirectory();
        string path = Path.Join(dir.Path, "f");
        File.WriteAllText(path, "a much longer old content");

        using (var output = files.CreateForWrite(path))
        {
            RandomAccess.Write(output, "short"u8, 0);
        }

        Assert.Equal("short", File.ReadAllText(path));
    }

    [Fact]
    public void UnixCreateForWrite_IsOwnerOnlyUntilItsModeIsSet()
    {
        var files = new UnixFileSystem();
        using var dir = new TempDirectory();
        string path = Path.Join(dir.Path, "secret.part");

        using var output = files.CreateForWrite(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        files.SetMode(output, 0x1A4);
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(path));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void OpenReadNoFollow_RefusesASymlinkAndReadsAFile(string name)
    {
        var files = Create(name);
        using var dir = new TempDirectory();
        string file = Path.Join(dir.Path, "file");
        File.WriteAllText(file, "data");
        string link = Path.Join(dir.Path, "link");
        File.CreateSymbolicLink(link, file);

        Assert.Throws<IOException>(() => files.OpenReadNoFollow(link).Dispose());
        using var input = files.OpenReadNoFollow(file);
        var buffer = new byte[8];
        Assert.Equal(4, RandomAccess.Read(input, buffer, 0));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void TryLstat_OfAMissingPath_IsFalse_AndOfASymlink_DescribesTheLink(string name)
    {
        var files = Create(name);
        using var dir = new TempDirectory();
        string link = Path.Join(dir.Path, "dangling");
        File.CreateSymbolicLink(link, "nowhere");

        Assert.False(files.TryLstat(Path.Join(dir.Path, "missing"), out _, out int error));
        Assert.NotEqual(0, error);
        Assert.True(files.TryLstat(link, out var stat, out _));
        Assert.Equal((FileKind.Symlink, 7L), (stat.Kind, stat.Size));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void TryOpenFolderForStat_RefusesWhatIsNotAFolder_AndTryLstatIn_DescribesEntriesWithoutFollowing(string name)
    {
        var files = Create(name);
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Join("sub"));
        File.WriteAllText(dir.Join("sub", "f"), "12345");
        File.CreateSymbolicLink(dir.Join("sub", "dangling"), "nowhere");
        File.CreateSymbolicLink(dir.Join("link-to-sub"), "sub");

        Assert.Null(files.TryOpenFolderForStat(dir.Join("missing"), out int missing));
        Assert.Null(files.TryOpenFolderForStat(dir.Join("sub", "f"), out int aFile));
        Assert.Null(files.TryOpenFolderForStat(dir.Join("link-to-sub"), out int aLink));
        Assert.All(new[] { missing, aFile, aLink }, static e => Assert.NotEqual(0, e));

        using var sub = files.TryOpenFolderForStat(dir.Join("sub"), out int error);
        Assert.NotNull(sub);
        Assert.Equal(0, error);
        Assert.True(files.TryLstatIn(sub, "f", out var file, out _));
        Assert.Equal((FileKind.File, 5L), (file.Kind, file.Size));
        Assert.True(files.TryLstatIn(sub, "dangling", out var link, out _));
        Assert.Equal((FileKind.Symlink, 7L), (link.Kind, link.Size));
        Assert.False(files.TryLstatIn(sub, "missing", out _, out int gone));
        Assert.NotEqual(0, gone);
    }

    [Fact]
    public void UnixTryLstatIn_LooksInTheOpenFolder_NotAtItsPath()
    {
        var files = new UnixFileSystem();
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Join("sub"));
        File.WriteAllText(dir.Join("sub", "f"), "12345");
        using var sub = files.TryOpenFolderForStat(dir.Join("sub"), out _);
        Assert.NotNull(sub);

        // The folder moves away and another takes its path: the open one is still the one asked.
        Directory.Move(dir.Join("sub"), dir.Join("moved"));
        Directory.CreateDirectory(dir.Join("sub"));
        File.WriteAllText(dir.Join("sub", "f"), "a longer content");

        Assert.True(files.TryLstatIn(sub, "f", out var stat, out _));
        Assert.Equal(5L, stat.Size);
    }

    [Fact]
    public void UnixSyncDirectory_OfAMissingFolder_Throws_AndOfAFolder_Succeeds()
    {
        var files = new UnixFileSystem();
        using var dir = new TempDirectory();

        files.SyncDirectory(dir.Path);
        Assert.Throws<IOException>(() => files.SyncDirectory(Path.Join(dir.Path, "missing")));
    }

    [Fact]
    public async Task LocalCopier_WithTheWindowsFileSystem_CopiesContentsLinksAndMtimes()
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        TestTree.Standard(src, largeBytes: 1 << 20);
        Assert.True(ExcludeRules.TryCreate([], out var rules, out var error), error);
        string dest = Path.Join(dir.Path, "ours", "src");
        var plan = new BackupPlan([BackupPlanner.PlanSource(src, dest, "src", rules!, CancellationToken.None)]);
        var progress = new BackupProgress { TotalBytes = plan.TotalBytes, TotalFiles = plan.TotalFiles };

        await new LocalCopier(progress, new WindowsFileSystem()).CopyAsync(plan, CancellationToken.None);

        Assert.Equal(plan.TotalFiles, progress.FilesDone);
        foreach (var entry in plan.Sources[0].Entries.Where(static e => e.Kind is FileKind.File or FileKind.Symlink))
        {
            string copy = Path.Join(dest, entry.RelativePath);
            Assert.True(new UnixFileSystem().TryLstat(copy, out var stat, out _), copy);
            Assert.Equal(entry.Kind, stat.Kind);
            if (entry.Kind == FileKind.File)
            {
                Assert.Equal(File.ReadAllBytes(Path.Join(src, entry.RelativePath)), File.ReadAllBytes(copy));
                Assert.Equal(entry.Stat.MtimeSec, stat.MtimeSec);
            }
            else
            {
                Assert.Equal(entry.LinkTarget, new FileInfo(copy).LinkTarget);
            }
        }
    }

    private static IFileSystem Create(string name) => name == "unix" ? new UnixFileSystem() : new WindowsFileSystem();
}

using System.IO.Enumeration;
using System.Text;
using Tether.Platform.FileSystem;

namespace Tether.Backup;

/// <summary>
/// The native walker (no process per file): selects entries with the job's exclude rules the
/// way <c>rsync -a</c> would (an excluded directory is not descended; symlinks are entries, never
/// followed) and compares each file with the destination. Stateless, thread-safe.
/// </summary>
internal static class BackupPlanner
{
    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// Walks <paramref name="sourceDir"/> (already resolved and checked) whose content lands in
    /// <paramref name="destDir"/>. Throws <see cref="IOException"/>/<see cref="UnauthorizedAccessException"/> when the source cannot be read.
    /// </summary>
    public static SourcePlan PlanSource(string sourceDir, string destDir, string destName, ExcludeRules excludes, CancellationToken ct) =>
        PlanSource(sourceDir, destDir, destName, excludes, compareWithDest: true, ct);

    /// <summary>As above; without <paramref name="compareWithDest"/> (remote mode) every file counts as one a start would transfer.</summary>
    public static SourcePlan PlanSource(string sourceDir, string destDir, string destName, ExcludeRules excludes, bool compareWithDest, CancellationToken ct)
    {
        if (!FileSystems.Current.TryLstat(sourceDir, out var rootStat, out _) || rootStat.Kind != FileKind.Directory)
        {
            throw new DirectoryNotFoundException($"source '{sourceDir}' is not a directory");
        }

        var entries = new List<BackupEntry>();
        FileStat? destRoot = compareWithDest ? Lstat(destDir) : null;
        entries.Add(new BackupEntry(string.Empty, rootStat, null, destRoot));
        Walk(sourceDir, destDir, string.Empty, excludes, compareWithDest, IsDirectory(destRoot), entries, ct);
        return new SourcePlan(sourceDir, destDir, destName, entries);
    }

    /// <param name="destDirExists">
    /// Whether this folder exists as a directory at the destination: when it does not, nothing
    /// below it can, so the walk spares one lstat per entry (a fresh plan stats half as often).
    /// </param>
    private static void Walk(string sourceDir, string destDir, string relativeDir, ExcludeRules excludes, bool compare, bool destDirExists, List<BackupEntry> entries, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        string dir = relativeDir.Length == 0 ? sourceDir : Path.Join(sourceDir, relativeDir);
        var names = new FileSystemEnumerable<string>(dir, static (ref FileSystemEntry e) => e.FileName.ToString(), ListOptions).ToList();

        // rsync sorts names bytewise (UTF-8); ordinal UTF-16 differs only beyond the BMP.
        names.Sort(CompareUtf8);
        foreach (var name in names)
        {
            string relative = relativeDir.Length == 0 ? name : relativeDir + "/" + name;
            string path = Path.Join(sourceDir, relative);
            if (!FileSystems.Current.TryLstat(path, out var stat, out _) || stat.Kind == FileKind.Other)
            {
                // Vanished since listed, or a device/fifo/socket: not part of a backup.
                continue;
            }

            bool isDir = stat.Kind == FileKind.Directory;
            if (excludes.IsExcluded(relative, isDir))
            {
                continue;
            }

            string? target = stat.Kind == FileKind.Symlink ? new FileInfo(path).LinkTarget : null;
            FileStat? dest = compare && destDirExists ? Lstat(Path.Join(destDir, relative)) : null;
            entries.Add(new BackupEntry(relative, stat, target, dest));
            if (isDir)
            {
                Walk(sourceDir, destDir, relative, excludes, compare, IsDirectory(dest), entries, ct);
            }
        }
    }

    private static bool IsDirectory(FileStat? stat) => stat is { Kind: FileKind.Directory };

    private static FileStat? Lstat(string path) => FileSystems.Current.TryLstat(path, out var s, out _) ? s : null;

    private static int CompareUtf8(string a, string b)
    {
        int byteLimitA = Encoding.UTF8.GetMaxByteCount(a.Length);
        int byteLimitB = Encoding.UTF8.GetMaxByteCount(b.Length);
        if (byteLimitA > 1024 || byteLimitB > 1024)
        {
            return Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
        }

        Span<byte> ba = stackalloc byte[byteLimitA];
        Span<byte> bb = stackalloc byte[byteLimitB];
        int la = Encoding.UTF8.GetBytes(a, ba);
        int lb = Encoding.UTF8.GetBytes(b, bb);
        return ba[..la].SequenceCompareTo(bb[..lb]);
    }
}

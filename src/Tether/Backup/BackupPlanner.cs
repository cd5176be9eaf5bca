using System.IO.Enumeration;
using System.Runtime.ExceptionServices;
using Tether.Platform.FileSystem;

namespace Tether.Backup;

/// <summary>
/// The native walker (no process per file): selects entries with the job's exclude rules the
/// way <c>rsync -a</c> would (an excluded directory is not descended; symlinks are entries, never
/// followed) and compares each file with the destination. Folders are listed by several workers
/// at once (rsync, too, walks the source and the destination in two processes at once), each
/// entry is stat'ed relative to an open descriptor of its folder (one name to resolve, not the
/// whole path), and the plan is put together in order afterwards: the same plan whatever the
/// workers' timing. Stateless, thread-safe.
/// </summary>
internal static class BackupPlanner
{
    /// <summary>A folder with at least this many names has its entries stat'ed in parallel slices too.</summary>
    internal const int SliceNames = 512;

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Workers that list and stat at once: the cores, up to 4 (past that the disk, not the CPU, sets the pace).</summary>
    internal static int DefaultWorkers => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Walks <paramref name="sourceDir"/> (already resolved and checked) whose content lands in
    /// <paramref name="destDir"/>. Throws <see cref="IOException"/>/<see cref="UnauthorizedAccessException"/> when the source cannot be read.
    /// </summary>
    public static SourcePlan PlanSource(string sourceDir, string destDir, string destName, ExcludeRules excludes, CancellationToken ct) =>
        PlanSource(sourceDir, destDir, destName, excludes, compareWithDest: true, ct);

    /// <summary>As above; without <paramref name="compareWithDest"/> (remote mode) every file counts as one a start would transfer.</summary>
    public static SourcePlan PlanSource(string sourceDir, string destDir, string destName, ExcludeRules excludes, bool compareWithDest, CancellationToken ct) =>
        PlanSource(sourceDir, destDir, destName, excludes, compareWithDest, DefaultWorkers, ct);

    /// <summary>
    /// As above with <paramref name="workers"/> listing at once (1: all on the calling thread);
    /// <paramref name="beforeList"/> is called with a folder's relative path just before it is
    /// listed (unit tests change the tree there).
    /// </summary>
    internal static SourcePlan PlanSource(string sourceDir, string destDir, string destName, ExcludeRules excludes, bool compareWithDest, int workers, CancellationToken ct, Action<string>? beforeList = null)
    {
        var files = FileSystems.Current;
        if (!files.TryLstat(sourceDir, out var rootStat, out _) || rootStat.Kind != FileKind.Directory)
        {
            throw new DirectoryNotFoundException($"source '{sourceDir}' is not a directory");
        }

        FileStat? destRoot = compareWithDest && files.TryLstat(destDir, out var d, out _) ? d : null;
        var root = new FolderScan(string.Empty, IsDirectory(destRoot));
        var walk = new Walk(files, sourceDir, destDir, excludes, compareWithDest, Math.Max(1, workers), beforeList, ct);
        walk.Run(root);

        var entries = new List<BackupEntry>(walk.EntryCount + 1) { new(string.Empty, rootStat, null, destRoot) };
        Flatten(root, entries);
        return new SourcePlan(sourceDir, destDir, destName, entries);
    }

    /// <summary>Pre-order, names sorted: each folder's entry is followed by its own entries.</summary>
    private static void Flatten(FolderScan root, List<BackupEntry> entries)
    {
        var stack = new Stack<(FolderScan Folder, int Next)>();
        stack.Push((root, 0));
        while (stack.TryPop(out var top))
        {
            var (folder, i) = top;
            for (; i < folder.Entries.Count; i++)
            {
                entries.Add(folder.Entries[i]);
                if (folder.Subs[i] is { } sub)
                {
                    stack.Push((folder, i + 1));
                    stack.Push((sub, 0));
                    break;
                }
            }
        }
    }

    private static bool IsDirectory(FileStat? stat) => stat is { Kind: FileKind.Directory };

    /// <summary>
    /// rsync sorts names bytewise (UTF-8). Ordinal UTF-16 order is the same except where a
    /// surrogate (a character beyond the BMP, 4 bytes in UTF-8) meets U+E000..U+FFFF (3 bytes,
    /// smaller in UTF-8 though larger in UTF-16); that one case is turned around.
    /// </summary>
    internal static int CompareUtf8(string a, string b)
    {
        int common = Math.Min(a.Length, b.Length);
        int i = a.AsSpan(0, common).CommonPrefixLength(b.AsSpan(0, common));
        if (i == common)
        {
            return a.Length.CompareTo(b.Length);
        }

        char x = a[i], y = b[i];
        bool xs = char.IsSurrogate(x), ys = char.IsSurrogate(y);
        return xs != ys && (xs ? y : x) >= '\uE000' ? (xs ? 1 : -1) : x.CompareTo(y);
    }

    /// <summary>
    /// One folder of the walk: its selected entries in name order and, beside each folder entry,
    /// that folder's own scan. Filled by the one worker that lists it; read once the walk ended.
    /// </summary>
    private sealed class FolderScan(string relativeDir, bool destExists)
    {
        public string RelativeDir { get; } = relativeDir;

        /// <summary>Whether this folder is a folder at the destination: when not, nothing below it can be, so no entry there is stat'ed.</summary>
        public bool DestExists { get; } = destExists;

        public List<BackupEntry> Entries { get; } = [];

        public List<FolderScan?> Subs { get; } = [];
    }

    /// <summary>
    /// The workers of one plan: a stack of folders still to list, taken by whichever worker is
    /// free; the walk ends when the stack is empty and no worker is listing (a folder being
    /// listed may add more). The calling thread is one of them, so a busy thread pool slows a plan
    /// but never stalls it. The first error stops every worker and is thrown by <see cref="Run"/>.
    /// </summary>
    private sealed class Walk(IFileSystem files, string sourceDir, string destDir, ExcludeRules excludes, bool compare, int workers, Action<string>? beforeList, CancellationToken ct)
    {
        private readonly object _gate = new(); // a Monitor, not a Lock: idle workers wait on it
        private readonly Stack<FolderScan> _pending = new();
        private int _listing;
        private int _helping;
        private bool _closed;
        private int _entries;
        private ExceptionDispatchInfo? _failure;

        public int EntryCount => _entries;

        public void Run(FolderScan root)
        {
            _pending.Push(root);
            // Help never throws (Work keeps the first error for Run), and Run waits below for
            // every helper that started, so these tasks need no other owner.
            for (int i = 1; i < workers; i++)
            {
                _ = Task.Run(Help, CancellationToken.None);
            }

            Work();

            // A helper that has not started yet never will; one that did is waited for.
            lock (_gate)
            {
                _closed = true;
                while (_helping > 0)
                {
                    Monitor.Wait(_gate);
                }
            }

            _failure?.Throw();
        }

        private void Help()
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                _helping++;
            }

            try
            {
                Work();
            }
            finally
            {
                lock (_gate)
                {
                    _helping--;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        private void Work()
        {
            while (TryTake(out var folder))
            {
                try
                {
                    ct.ThrowIfCancellationRequested();
                    List(folder);
                }
                catch (Exception e)
                {
                    lock (_gate)
                    {
                        _failure ??= ExceptionDispatchInfo.Capture(e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : e);
                        _listing--;
                        Monitor.PulseAll(_gate);
                    }

                    return;
                }

                lock (_gate)
                {
                    _entries += folder.Entries.Count;
                    for (int i = folder.Subs.Count - 1; i >= 0; i--)
                    {
                        if (folder.Subs[i] is { } sub)
                        {
                            _pending.Push(sub);
                        }
                    }

                    _listing--;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        private bool TryTake(out FolderScan folder)
        {
            lock (_gate)
            {
                while (_failure is null && _pending.Count == 0 && _listing > 0)
                {
                    Monitor.Wait(_gate);
                }

                if (_failure is not null || !_pending.TryPop(out folder!))
                {
                    folder = null!;
                    return false;
                }

                _listing++;
                return true;
            }
        }

        private void List(FolderScan folder)
        {
            beforeList?.Invoke(folder.RelativeDir);
            string dir = folder.RelativeDir.Length == 0 ? sourceDir : Path.Join(sourceDir, folder.RelativeDir);
            List<string> names;
            try
            {
                names = new FileSystemEnumerable<string>(dir, static (ref FileSystemEntry e) => e.FileName.ToString(), ListOptions).ToList();
            }
            catch (DirectoryNotFoundException) when (Vanished(dir))
            {
                // Gone (or no longer a folder) since its parent was listed, as a file can be:
                // planned empty; the copier then names it among what changed after planning,
                // and everything else is still copied.
                return;
            }

            names.Sort(CompareUtf8);
            using var src = files.TryOpenFolderForStat(dir, out int error);
            if (src is null)
            {
                if (Vanished(dir))
                {
                    return;
                }

                throw new IOException($"cannot read folder '{dir}': {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}");
            }

            using var dest = compare && folder.DestExists
                ? files.TryOpenFolderForStat(folder.RelativeDir.Length == 0 ? destDir : Path.Join(destDir, folder.RelativeDir), out _)
                : null;

            var found = new (BackupEntry? Entry, FolderScan? Sub)[names.Count];
            int slices = names.Count >= SliceNames && workers > 1 ? (names.Count + SliceNames - 1) / SliceNames : 1;
            if (slices == 1)
            {
                StatRange(folder, names, src, dest, found, 0, names.Count);
            }
            else
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct };
                Parallel.For(0, slices, options, s => StatRange(folder, names, src, dest, found, s * SliceNames, Math.Min(names.Count, (s + 1) * SliceNames)));
            }

            foreach (var (entry, sub) in found)
            {
                if (entry is not null)
                {
                    folder.Entries.Add(entry);
                    folder.Subs.Add(sub);
                }
            }
        }

        /// <summary>True when <paramref name="dir"/> is no longer there as a folder (as opposed to a folder that cannot be read).</summary>
        private bool Vanished(string dir) => !files.TryLstat(dir, out var now, out _) || now.Kind != FileKind.Directory;

        private void StatRange(FolderScan folder, List<string> names, FolderHandle src, FolderHandle? dest, (BackupEntry?, FolderScan?)[] found, int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                string name = names[i];
                if (!files.TryLstatIn(src, name, out var stat, out _) || stat.Kind == FileKind.Other)
                {
                    // Vanished since listed, or a device/fifo/socket: not part of a backup.
                    continue;
                }

                bool isDir = stat.Kind == FileKind.Directory;
                string relative = folder.RelativeDir.Length == 0 ? name : folder.RelativeDir + "/" + name;
                if (excludes.IsExcluded(relative, isDir))
                {
                    continue;
                }

                string? target = stat.Kind == FileKind.Symlink ? new FileInfo(src.Join(name)).LinkTarget : null;
                FileStat? destStat = dest is not null && files.TryLstatIn(dest, name, out var d, out _) ? d : null;
                found[i] = (new BackupEntry(relative, stat, target, destStat), isDir ? new FolderScan(relative, IsDirectory(destStat)) : null);
            }
        }
    }
}

using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.FileSystem;

/// <summary>
/// Windows, through System.IO alone: times to 100 ns (not on symlinks), no permission bits (NTFS
/// ACLs are left as the folder gives them), no in-kernel copy, replace by MoveFileEx, and no folder sync
/// (NTFS and ReFS journal their metadata). Uses only cross-platform APIs, so its behaviour is
/// also tested on Linux.
/// Folder handles are paths here: System.IO has no opens relative to a folder, so a link is
/// refused where it is checked but a swap between the check and the use is not ruled out; no
/// file identity is read (the copier's same-file check is skipped) and owners are never kept
/// (new files take the destination folder's ACL and the agent's account as owner).
/// </summary>
internal sealed class WindowsFileSystem : IFileSystem
{
    private const int ErrorFileNotFound = 2;

    // ERROR_DIRECTORY: "The directory name is invalid" (a path that is not a folder).
    private const int ErrorDirectory = 267;

    public bool TryLstat(string path, out FileStat stat, out int error) =>
        FileStat.TryReadManaged(path, ErrorFileNotFound, out stat, out error);

    public void SetTimes(string path, long sec, uint nsec, bool noFollow)
    {
        var time = ToDateTime(sec, nsec);
        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            if (noFollow)
            {
                return; // System.IO sets a link's times through it: a link keeps the time it was made.
            }
        }
        else if ((info.Attributes & FileAttributes.Directory) != 0)
        {
            info = new DirectoryInfo(path);
        }

        info.LastWriteTimeUtc = time;
        info.LastAccessTimeUtc = time;
    }

    public void SetTimes(SafeFileHandle file, long sec, uint nsec, string pathForError)
    {
        var time = ToDateTime(sec, nsec);
        File.SetLastWriteTimeUtc(file, time);
        File.SetLastAccessTimeUtc(file, time);
    }

    public void SetMode(string path, int mode)
    {
    }

    public void SetMode(SafeFileHandle file, int mode)
    {
    }

    public SafeFileHandle OpenReadNoFollow(string path)
    {
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw new IOException($"cannot open '{path}': it is a symbolic link");
        }

        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    public SafeFileHandle CreateForWrite(string path) =>
        File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None);

    public long CopyRange(SafeFileHandle input, SafeFileHandle output, int count, out string? failure)
    {
        failure = null;
        return -1;
    }

    public void Replace(string from, string to)
    {
        // File.Move refuses a link that points at a folder; such a link moves as a folder entry,
        // after whatever stands at the destination is removed (not atomic; links to folders are rare).
        if (new FileInfo(from).LinkTarget is not null && Directory.Exists(from))
        {
            if (new FileInfo(to).LinkTarget is not null || File.Exists(to))
            {
                File.Delete(to);
            }

            Directory.Move(from, to);
            return;
        }

        File.Move(from, to, overwrite: true);
    }

    public void SyncDirectory(string directory)
    {
    }

    internal static DateTime ToDateTime(long sec, uint nsec) =>
        DateTime.UnixEpoch.AddTicks((sec * TimeSpan.TicksPerSecond) + (nsec / 100));

    public bool CanKeepOwners => false;

    public (uint Uid, uint Gid) EffectiveIds => (0, 0);

    public FolderHandle OpenFolderPath(string path, bool create)
    {
        string full = Path.GetFullPath(path);
        if (create)
        {
            Directory.CreateDirectory(full);
        }

        CheckFolder(full);
        return new FolderHandle(full, null);
    }

    public FolderHandle OpenFolder(FolderHandle parent, string name)
    {
        string path = parent.Join(CheckName(name));
        CheckFolder(path);
        return new FolderHandle(path, null);
    }

    public bool TryStatAt(FolderHandle folder, string name, out FileStat stat, out int error) =>
        TryLstat(folder.Join(CheckName(name)), out stat, out error);

    public FolderHandle? TryOpenFolderForStat(string path, out int error)
    {
        if (!TryLstat(path, out var stat, out error))
        {
            return null;
        }

        if (stat.Kind != FileKind.Directory)
        {
            error = ErrorDirectory;
            return null;
        }

        return new FolderHandle(path, null);
    }

    public bool TryLstatIn(FolderHandle folder, string name, out FileStat stat, out int error) => TryStatAt(folder, name, out stat, out error);

    public FileStat Stat(SafeFileHandle file, string pathForError)
    {
        long ticks = (File.GetLastWriteTimeUtc(file) - DateTime.UnixEpoch).Ticks;
        long sec = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            sec--;
            rest += TimeSpan.TicksPerSecond;
        }

        return new FileStat(FileKind.File, 0, RandomAccess.GetLength(file), sec, (uint)(rest * 100));
    }

    public FileStat Stat(FolderHandle folder) =>
        TryLstat(folder.Path, out var stat, out _) ? stat : throw new IOException($"cannot read '{folder.Path}'");

    public void CreateFolder(FolderHandle parent, string name)
    {
        string path = parent.Join(CheckName(name));
        if (Path.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            throw new IOException($"cannot create folder '{path}': it exists");
        }

        Directory.CreateDirectory(path);
    }

    public SafeFileHandle OpenReadAt(FolderHandle folder, string name) => OpenReadNoFollow(folder.Join(CheckName(name)));

    public SafeFileHandle CreateExclusiveAt(FolderHandle folder, string name) =>
        File.OpenHandle(folder.Join(CheckName(name)), FileMode.CreateNew, FileAccess.Write, FileShare.None);

    public bool DeleteAt(FolderHandle folder, string name)
    {
        string path = folder.Join(CheckName(name));
        var info = new FileInfo(path);
        if (info.LinkTarget is null && !info.Exists)
        {
            return false;
        }

        info.Delete();
        return true;
    }

    public void RenameAt(FolderHandle folder, string from, string to) => Replace(folder.Join(CheckName(from)), folder.Join(CheckName(to)));

    public void CreateSymlinkAt(FolderHandle folder, string name, string target) => File.CreateSymbolicLink(folder.Join(CheckName(name)), target);

    public string? ReadLinkAt(FolderHandle folder, string name) => new FileInfo(folder.Join(CheckName(name))).LinkTarget;

    public void SetLinkTimesAt(FolderHandle folder, string name, long sec, uint nsec)
    {
        // System.IO sets a link's times through it: a link keeps the time it was made.
    }

    public void SetLinkOwnerAt(FolderHandle folder, string name, uint uid, uint gid)
    {
    }

    public void SetOwner(SafeFileHandle file, uint uid, uint gid, string pathForError)
    {
    }

    public void SetOwner(FolderHandle folder, uint uid, uint gid)
    {
    }

    public void SetMode(FolderHandle folder, int mode)
    {
    }

    public void SetTimes(FolderHandle folder, long sec, uint nsec)
    {
        var time = ToDateTime(sec, nsec);
        Directory.SetLastWriteTimeUtc(folder.Path, time);
        Directory.SetLastAccessTimeUtc(folder.Path, time);
    }

    private static void CheckFolder(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null || !info.Exists)
        {
            throw new IOException($"cannot open folder '{path}': it is a symbolic link or not a folder (links are never followed)");
        }
    }

    private static string CheckName(string name) =>
        name.Length == 0 || name == "." || name == ".." || name.AsSpan().IndexOfAny('/', '\\') >= 0
            ? throw new IOException($"'{name}' is not a single path component")
            : name;
}

using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.FileSystem;

/// <summary>
/// Windows, through System.IO alone: times to 100 ns (not on symlinks), no permission bits (NTFS
/// ACLs are left as the folder gives them), no in-kernel copy, replace by MoveFileEx, and no folder sync
/// (NTFS and ReFS journal their metadata). Uses only cross-platform APIs, so its behaviour is
/// also tested on Linux.
/// </summary>
internal sealed class WindowsFileSystem : IFileSystem
{
    private const int ErrorFileNotFound = 2;

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
}

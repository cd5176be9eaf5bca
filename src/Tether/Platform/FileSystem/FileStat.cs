using System.Text;

namespace Tether.Platform.FileSystem;

/// <summary>
/// What the backup needs from lstat: type, permission bits, size and the mtime to the nanosecond
/// (rsync keeps nanoseconds); owner and group; and the identity (device, inode, link count) that
/// lets the copier check that what it opened is what it planned. The identity is 0 where the
/// reading cannot tell (the managed reading, Windows).
/// </summary>
internal readonly record struct FileStat(FileKind Kind, int Mode, long Size, long MtimeSec, uint MtimeNsec)
{
    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public ulong Device { get; init; }

    public ulong Inode { get; init; }

    public uint Links { get; init; }

    /// <summary>True when both have an identity and it is the same file (device and inode).</summary>
    public bool SameFileAs(in FileStat other) => Inode != 0 && Inode == other.Inode && Device == other.Device;

    /// <summary>rsync's quick check: both regular files, same size, same mtime to the second (its default modify-window 0 ignores nanoseconds).</summary>
    public bool SameContentAs(in FileStat other) =>
        Kind == FileKind.File && other.Kind == FileKind.File && Size == other.Size && MtimeSec == other.MtimeSec;

    /// <summary>
    /// lstat through <see cref="FileSystemInfo"/> (the runtime's own lstat): mtime to 100 ns, and
    /// devices, FIFOs and sockets are indistinguishable from empty files here, so they count as
    /// files, and a directory's size is 0 (plans count file bytes only). The reading on Windows,
    /// on macOS and on a Linux without statx.
    /// </summary>
    internal static bool TryReadManaged(string path, int noEntryError, out FileStat stat, out int error)
    {
        stat = default;
        error = 0;
        try
        {
            var info = new FileInfo(path);
            var attributes = info.Attributes;
            if ((int)attributes == -1)
            {
                error = noEntryError;
                return false;
            }

            FileKind kind;
            long size;
            if ((attributes & FileAttributes.ReparsePoint) != 0 && info.LinkTarget is { } target)
            {
                kind = FileKind.Symlink;
                size = Encoding.UTF8.GetByteCount(target);
            }
            else if ((attributes & FileAttributes.Directory) != 0)
            {
                kind = FileKind.Directory;
                size = 0;
            }
            else
            {
                kind = FileKind.File;
                size = info.Length;
            }

            int mode = OperatingSystem.IsWindows() ? 0 : (int)info.UnixFileMode;
            long ticks = (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks;
            long sec = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
            if (rest < 0)
            {
                sec--;
                rest += TimeSpan.TicksPerSecond;
            }

            stat = new FileStat(kind, mode, size, sec, (uint)(rest * 100));
            return true;
        }
        catch (FileNotFoundException)
        {
            error = noEntryError;
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            error = noEntryError;
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.HResult;
            return false;
        }
    }
}

using System.Runtime.InteropServices;
using Tether.Platform;

namespace Tether.Backup;

/// <summary>What the backup needs from lstat: type, permission bits, size and the mtime to the nanosecond (rsync keeps nanoseconds).</summary>
internal readonly record struct FileStat(BackupEntryKind Kind, int Mode, long Size, long MtimeSec, uint MtimeNsec)
{
    private const int TypeMask = 0xF000;
    private const int TypeDirectory = 0x4000;
    private const int TypeRegular = 0x8000;
    private const int TypeSymlink = 0xA000;

    /// <summary>lstat via statx; false (errno in <paramref name="error"/>) when it does not exist or cannot be read.</summary>
    public static bool TryLstat(string path, out FileStat stat, out int error)
    {
        if (Interop.Libc.StatxNative(Interop.Libc.AtFdCwd, path, Interop.Libc.AtSymlinkNoFollow, Interop.Libc.StatxBasicStats, out var sx) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            stat = default;
            return false;
        }

        int type = sx.stx_mode & TypeMask;
        var kind = type switch
        {
            TypeDirectory => BackupEntryKind.Directory,
            TypeRegular => BackupEntryKind.File,
            TypeSymlink => BackupEntryKind.Symlink,
            _ => BackupEntryKind.Other,
        };
        stat = new FileStat(kind, sx.stx_mode & 0xFFF, (long)sx.stx_size, sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
        error = 0;
        return true;
    }

    /// <summary>Sets atime and mtime to this mtime, on the link itself for a symlink (rsync -t keeps both).</summary>
    public static unsafe void SetTimes(string path, long sec, uint nsec, bool noFollow)
    {
        var times = stackalloc Interop.Libc.Timespec[2];
        times[0] = new Interop.Libc.Timespec { tv_sec = (nint)sec, tv_nsec = (nint)nsec };
        times[1] = times[0];
        if (Interop.Libc.Utimensat(Interop.Libc.AtFdCwd, path, times, noFollow ? Interop.Libc.AtSymlinkNoFollow : 0) != 0)
        {
            throw new IOException($"cannot set the times of '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>rsync's quick check: both regular files, same size, same mtime to the second (its default modify-window 0 ignores nanoseconds).</summary>
    public bool SameContentAs(in FileStat other) =>
        Kind == BackupEntryKind.File && other.Kind == BackupEntryKind.File && Size == other.Size && MtimeSec == other.MtimeSec;
}

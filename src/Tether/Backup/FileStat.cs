using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Tether.Platform;
using Tether.Platform.Common;

namespace Tether.Backup;

/// <summary>What the backup needs from lstat: type, permission bits, size and the mtime to the nanosecond (rsync keeps nanoseconds).</summary>
internal readonly record struct FileStat(BackupEntryKind Kind, int Mode, long Size, long MtimeSec, uint MtimeNsec)
{
    private const int TypeMask = 0xF000;
    private const int TypeDirectory = 0x4000;
    private const int TypeRegular = 0x8000;
    private const int TypeSymlink = 0xA000;

    // statx needs Linux 4.11 and glibc 2.28 / musl 1.2.5 (Ubuntu 18.04, RHEL 7 and Alpine <= 3.19
    // lack the wrapper); without it every lstat takes the portable path.
    private static volatile bool s_statxMissing;

    /// <summary>
    /// lstat: statx on Linux, else (macOS, or a Linux without statx) the portable reading below;
    /// false (errno in <paramref name="error"/>) when it does not exist or cannot be read.
    /// </summary>
    public static bool TryLstat(string path, out FileStat stat, out int error)
    {
        if (OperatingSystem.IsLinux() && !s_statxMissing)
        {
            try
            {
                bool found = TryStatx(path, out stat, out error);
                if (found || error != UnixPlatform.Current.ENoSys)
                {
                    return found;
                }
            }
            catch (EntryPointNotFoundException)
            {
            }

            s_statxMissing = true;
        }

        return TryLstatPortable(path, out stat, out error);
    }

    /// <summary>
    /// lstat through <see cref="FileSystemInfo"/> (the runtime's own lstat): mtime to 100 ns, and
    /// devices, FIFOs and sockets are indistinguishable from empty files here, so they count as
    /// files, and a directory's size is 0 (plans count file bytes only). Used where statx is
    /// missing; rsync does the copying there (local mode is Linux only).
    /// </summary>
    internal static bool TryLstatPortable(string path, out FileStat stat, out int error)
    {
        stat = default;
        error = 0;
        try
        {
            var info = new FileInfo(path);
            var attributes = info.Attributes;
            if ((int)attributes == -1)
            {
                error = NoEntry();
                return false;
            }

            BackupEntryKind kind;
            long size;
            if ((attributes & FileAttributes.ReparsePoint) != 0 && info.LinkTarget is { } target)
            {
                kind = BackupEntryKind.Symlink;
                size = Encoding.UTF8.GetByteCount(target);
            }
            else if ((attributes & FileAttributes.Directory) != 0)
            {
                kind = BackupEntryKind.Directory;
                size = 0;
            }
            else
            {
                kind = BackupEntryKind.File;
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
            error = NoEntry();
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            error = NoEntry();
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.HResult;
            return false;
        }
    }

    /// <summary>Sets atime and mtime to this mtime, on the link itself for a symlink (rsync -t keeps both).</summary>
    [SupportedOSPlatform("linux")]
    public static unsafe void SetTimes(string path, long sec, uint nsec, bool noFollow)
    {
        var times = stackalloc Interop.Libc.Timespec[2];
        times[0] = ToTimespec(sec, nsec, path);
        times[1] = times[0];
        if (Interop.Libc.Utimensat(Interop.Libc.AtFdCwd, path, times, noFollow ? Interop.Libc.AtSymlinkNoFollow : 0) != 0)
        {
            throw new IOException($"cannot set the times of '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>
    /// The native <c>struct timespec</c> of the plain utimensat/futimens symbols. On 32-bit glibc
    /// (and musl's compat symbols) time_t is 32-bit there: a time outside 1901–2038 is refused
    /// rather than silently wrapped.
    /// </summary>
    internal static Interop.Libc.Timespec ToTimespec(long sec, uint nsec, string pathForError)
    {
        if (IntPtr.Size == 4 && (sec < int.MinValue || sec > int.MaxValue))
        {
            throw new IOException($"cannot set the times of '{pathForError}': {sec} s since 1970 does not fit a 32-bit time_t");
        }

        return new Interop.Libc.Timespec { tv_sec = (nint)sec, tv_nsec = (nint)nsec };
    }

    /// <summary>rsync's quick check: both regular files, same size, same mtime to the second (its default modify-window 0 ignores nanoseconds).</summary>
    public bool SameContentAs(in FileStat other) =>
        Kind == BackupEntryKind.File && other.Kind == BackupEntryKind.File && Size == other.Size && MtimeSec == other.MtimeSec;

    [SupportedOSPlatform("linux")]
    private static bool TryStatx(string path, out FileStat stat, out int error)
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

    private static int NoEntry() => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? UnixPlatform.Current.ENoEnt : 2;
}

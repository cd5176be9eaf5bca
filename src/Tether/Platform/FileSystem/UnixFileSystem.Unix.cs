using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Common;

namespace Tether.Platform.FileSystem;

/// <summary>
/// Linux and macOS: statx (Linux) or the runtime's lstat, utimensat/futimens with nanoseconds,
/// O_NOFOLLOW opens, copy_file_range (Linux), rename(2) and fsync of a folder.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed partial class UnixFileSystem : IFileSystem
{
    private const int TypeMask = 0xF000;
    private const int TypeDirectory = 0x4000;
    private const int TypeRegular = 0x8000;
    private const int TypeSymlink = 0xA000;
    private const uint Mode0600 = 0x180;

    // statx needs Linux 4.11 and glibc 2.28 / musl 1.2.5 (Ubuntu 18.04, RHEL 7 and Alpine <= 3.19
    // lack the wrapper); without it every lstat takes the managed path.
    private static volatile bool s_statxMissing;

    private readonly UnixPlatform _platform = UnixPlatform.Current;

    public bool TryLstat(string path, out FileStat stat, out int error)
    {
        if (OperatingSystem.IsLinux() && !s_statxMissing)
        {
            try
            {
                bool found = TryStatx(path, out stat, out error);
                if (found || error != _platform.ENoSys)
                {
                    return found;
                }
            }
            catch (EntryPointNotFoundException)
            {
            }

            s_statxMissing = true;
        }

        return FileStat.TryReadManaged(path, _platform.ENoEnt, out stat, out error);
    }

    public unsafe void SetTimes(string path, long sec, uint nsec, bool noFollow)
    {
        var times = stackalloc Interop.Libc.Timespec[2];
        times[0] = ToTimespec(sec, nsec, path);
        times[1] = times[0];
        if (Interop.Libc.Utimensat(_platform.AtFdCwd, path, times, noFollow ? _platform.AtSymlinkNoFollow : 0) != 0)
        {
            throw new IOException($"cannot set the times of '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public unsafe void SetTimes(SafeFileHandle file, long sec, uint nsec, string pathForError)
    {
        var times = stackalloc Interop.Libc.Timespec[2];
        times[0] = ToTimespec(sec, nsec, pathForError);
        times[1] = times[0];
        if (Interop.Libc.Futimens(file, times) != 0)
        {
            throw new IOException($"cannot set the times of '{pathForError}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public void SetMode(string path, int mode) => File.SetUnixFileMode(path, (UnixFileMode)mode);

    public void SetMode(SafeFileHandle file, int mode) => File.SetUnixFileMode(file, (UnixFileMode)mode);

    public SafeFileHandle OpenReadNoFollow(string path)
    {
        // O_RDONLY is 0 on Linux and macOS; the two-argument open is not variadic-sensitive.
        int fd = Interop.Libc.Open(path, _platform.ONoFollow | _platform.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public SafeFileHandle CreateForWrite(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            int fd = Interop.Libc.OpenWithMode(path, Interop.Libc.OWrOnly | Interop.Libc.OCreat | Interop.Libc.OTrunc | Interop.Libc.OCloExecLinux, Mode0600);
            if (fd < 0)
            {
                throw new IOException($"cannot open '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
            }

            return new SafeFileHandle(fd, ownsHandle: true);
        }

        // open(2) is variadic, and Apple arm64 passes variadic arguments on the stack, so a
        // P/Invoke cannot hand it the mode; the runtime's own open does it right.
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None);
        File.SetUnixFileMode(handle, (UnixFileMode)Mode0600);
        return handle;
    }

    public long CopyRange(SafeFileHandle input, SafeFileHandle output, int count, out string? failure)
    {
        failure = null;
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        nint n = Interop.Libc.CopyFileRange(input, 0, output, 0, (nuint)count, 0);
        if (n < 0)
        {
            failure = Marshal.GetLastPInvokeErrorMessage();
            return -1;
        }

        return n;
    }

    public void Replace(string from, string to)
    {
        if (Interop.Libc.Rename(from, to) != 0)
        {
            throw new IOException($"cannot rename '{from}' to '{to}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public void SyncDirectory(string directory)
    {
        // O_RDONLY is 0 on Linux and macOS; O_CLOEXEC keeps the fd out of concurrent children.
        var fd = Interop.Libc.Open(directory, _platform.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to sync it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Interop.Libc.Fsync(handle) != 0)
        {
            throw new IOException($"cannot sync directory '{directory}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
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

    [SupportedOSPlatform("linux")]
    private static bool TryStatx(string path, out FileStat stat, out int error)
    {
        if (Interop.Libc.StatxNative(UnixPlatform.Current.AtFdCwd, path, UnixPlatform.Current.AtSymlinkNoFollow, Interop.Libc.StatxBasicStats, out var sx) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            stat = default;
            return false;
        }

        stat = FromStatx(sx);
        error = 0;
        return true;
    }

    private static FileStat FromStatx(in Interop.Libc.Statx sx) =>
        new(KindOf(sx.stx_mode), sx.stx_mode & 0xFFF, (long)sx.stx_size, sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec)
        {
            Uid = sx.stx_uid,
            Gid = sx.stx_gid,
            Device = ((ulong)sx.stx_dev_major << 32) | sx.stx_dev_minor,
            Inode = sx.stx_ino,
            Links = sx.stx_nlink,
        };

    private static FileKind KindOf(int mode) => (mode & TypeMask) switch
    {
        TypeDirectory => FileKind.Directory,
        TypeRegular => FileKind.File,
        TypeSymlink => FileKind.Symlink,
        _ => FileKind.Other,
    };
}

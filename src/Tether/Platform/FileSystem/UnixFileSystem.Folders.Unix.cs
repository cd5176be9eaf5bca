using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Common;

namespace Tether.Platform.FileSystem;

/// <summary>
/// Walking by folder handle (docs/protocol.md §5): openat/mkdirat/unlinkat/renameat/symlinkat
/// relative to an open folder with O_NOFOLLOW on every component, so a symlink planted or swapped
/// in by a local user is never followed; stat, owner, mode and times on open descriptors
/// (statx/fstat, fchown, fchmod, futimens). Every component is a single name: openat2's
/// RESOLVE_NO_SYMLINKS would add nothing, so the same calls serve every Linux kernel and macOS.
/// </summary>
internal sealed partial class UnixFileSystem
{
    private const uint Mode0700 = 0x1C0;
    private const uint Mode0755 = 0x1ED;

    public bool CanKeepOwners => Interop.Libc.Geteuid() == 0;

    public (uint Uid, uint Gid) EffectiveIds => (Interop.Libc.Geteuid(), Interop.Libc.Getegid());

    public FolderHandle OpenFolderPath(string path, bool create)
    {
        if (!path.StartsWith('/'))
        {
            throw new IOException($"'{path}' is not an absolute path");
        }

        int fd = Interop.Libc.Open("/", _platform.ODirectory | _platform.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open '/': {Marshal.GetLastPInvokeErrorMessage()}");
        }

        var current = new FolderHandle("/", new SafeFileHandle(fd, ownsHandle: true));
        try
        {
            foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                FolderHandle next;
                if (create && !TryStatAt(current, name, out _, out int error) && error == _platform.ENoEnt)
                {
                    if (Interop.Libc.MkdirAt(Fd(current), CheckName(name), Mode0755) != 0 && Marshal.GetLastPInvokeError() != _platform.EExist)
                    {
                        throw new IOException($"cannot create folder '{current.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
                    }
                }

                next = OpenFolder(current, name);
                current.Dispose();
                current = next;
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    public FolderHandle OpenFolder(FolderHandle parent, string name)
    {
        int fd = OpenAt(parent, name, _platform.ODirectory | _platform.ONoFollow | _platform.OCloExec | _platform.ONonBlock, 0);
        if (fd < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            string why = error == _platform.ELoop || error == _platform.ENotDir
                ? "it is a symbolic link or not a folder (symlinks are never followed)"
                : Marshal.GetPInvokeErrorMessage(error);
            throw new IOException($"cannot open folder '{parent.Join(name)}': {why}");
        }

        return new FolderHandle(parent.Join(name), new SafeFileHandle(fd, ownsHandle: true));
    }

    public bool TryStatAt(FolderHandle folder, string name, out FileStat stat, out int error)
    {
        CheckName(name);
        if (OperatingSystem.IsMacOS())
        {
            if (Interop.Libc.FstatAtMac(Fd(folder), name, out var st, _platform.AtSymlinkNoFollow) != 0)
            {
                error = Marshal.GetLastPInvokeError();
                stat = default;
                return false;
            }

            stat = FromStatMac(st);
            error = 0;
            return true;
        }

        return OperatingSystem.IsLinux()
            ? TryStatxAt(Fd(folder), name, _platform.AtSymlinkNoFollow, out stat, out error)
            : throw new PlatformNotSupportedException();
    }

    public FileStat Stat(SafeFileHandle file, string pathForError)
    {
        if (OperatingSystem.IsMacOS())
        {
            if (Interop.Libc.FstatMac(file, out var st) != 0)
            {
                throw new IOException($"cannot stat '{pathForError}': {Marshal.GetLastPInvokeErrorMessage()}");
            }

            return FromStatMac(st);
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        if (!TryStatxAt(file, string.Empty, Interop.Libc.AtEmptyPath, out var stat, out int error))
        {
            throw new IOException($"cannot stat '{pathForError}': {Marshal.GetPInvokeErrorMessage(error)}");
        }

        return stat;
    }

    public FileStat Stat(FolderHandle folder) => Stat(Fd(folder), folder.Path);

    public void CreateFolder(FolderHandle parent, string name)
    {
        if (Interop.Libc.MkdirAt(Fd(parent), CheckName(name), Mode0700) != 0)
        {
            throw new IOException($"cannot create folder '{parent.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public SafeFileHandle OpenReadAt(FolderHandle folder, string name)
    {
        int fd = OpenAt(folder, name, _platform.ONoFollow | _platform.ONonBlock | _platform.ONoCtty | _platform.OCloExec, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open '{folder.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public SafeFileHandle CreateExclusiveAt(FolderHandle folder, string name)
    {
        int fd = OpenAt(folder, name, Interop.Libc.OWrOnly | _platform.OCreat | _platform.OExcl | _platform.ONoFollow | _platform.OCloExec, Mode0600);
        if (fd < 0)
        {
            throw new IOException($"cannot create '{folder.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public bool DeleteAt(FolderHandle folder, string name)
    {
        if (Interop.Libc.UnlinkAt(Fd(folder), CheckName(name), 0) == 0)
        {
            return true;
        }

        int error = Marshal.GetLastPInvokeError();
        if (error == _platform.ENoEnt)
        {
            return false;
        }

        throw new IOException($"cannot remove '{folder.Join(name)}': {Marshal.GetPInvokeErrorMessage(error)}");
    }

    public void RenameAt(FolderHandle folder, string from, string to)
    {
        if (Interop.Libc.RenameAt(Fd(folder), CheckName(from), Fd(folder), CheckName(to)) != 0)
        {
            throw new IOException($"cannot rename '{folder.Join(from)}' to '{to}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public void CreateSymlinkAt(FolderHandle folder, string name, string target)
    {
        if (Interop.Libc.SymlinkAt(target, Fd(folder), CheckName(name)) != 0)
        {
            throw new IOException($"cannot create symlink '{folder.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public unsafe string? ReadLinkAt(FolderHandle folder, string name)
    {
        CheckName(name);
        for (int size = 4096; size <= 1 << 20; size *= 16)
        {
            byte[] buffer = new byte[size];
            nint n;
            fixed (byte* p = buffer)
            {
                n = Interop.Libc.ReadLinkAt(Fd(folder), name, p, (nuint)size);
            }

            if (n < 0)
            {
                return null;
            }

            if (n < size)
            {
                return Encoding.UTF8.GetString(buffer, 0, (int)n);
            }
        }

        throw new IOException($"the target of '{folder.Join(name)}' is too long");
    }

    public unsafe void SetLinkTimesAt(FolderHandle folder, string name, long sec, uint nsec)
    {
        var times = stackalloc Interop.Libc.Timespec[2];
        times[0] = ToTimespec(sec, nsec, folder.Join(name));
        times[1] = times[0];
        if (Interop.Libc.Utimensat(Fd(folder), CheckName(name), times, _platform.AtSymlinkNoFollow) != 0)
        {
            throw new IOException($"cannot set the times of '{folder.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public void SetLinkOwnerAt(FolderHandle folder, string name, uint uid, uint gid)
    {
        if (OperatingSystem.IsMacOS())
        {
            if (Interop.Libc.FchownAt(Fd(folder), CheckName(name), uid, gid, _platform.AtSymlinkNoFollow) != 0)
            {
                throw new IOException($"cannot set the owner of '{folder.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
            }

            return;
        }

        // Linux: hold the link itself (O_PATH|O_NOFOLLOW), check it is one, and chown that
        // descriptor: the name cannot be swapped for a hard link to another file in between.
        int fd = OpenAt(folder, name, _platform.OPath | _platform.ONoFollow | _platform.OCloExec, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open '{folder.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
        }

        using var link = new SafeFileHandle(fd, ownsHandle: true);
        if (Stat(link, folder.Join(name)).Kind != FileKind.Symlink)
        {
            throw new IOException($"'{folder.Join(name)}' is no longer a symbolic link");
        }

        if (Interop.Libc.FchownAt(link, string.Empty, uid, gid, Interop.Libc.AtEmptyPath) != 0)
        {
            throw new IOException($"cannot set the owner of '{folder.Join(name)}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public void SetOwner(SafeFileHandle file, uint uid, uint gid, string pathForError)
    {
        if (Interop.Libc.Fchown(file, uid, gid) != 0)
        {
            throw new IOException($"cannot set the owner of '{pathForError}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public void SetOwner(FolderHandle folder, uint uid, uint gid) => SetOwner(Fd(folder), uid, gid, folder.Path);

    public void SetMode(FolderHandle folder, int mode)
    {
        if (Interop.Libc.Fchmod(Fd(folder), (uint)mode) != 0)
        {
            throw new IOException($"cannot set the mode of '{folder.Path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public void SetTimes(FolderHandle folder, long sec, uint nsec) => SetTimes(Fd(folder), sec, nsec, folder.Path);

    private static SafeFileHandle Fd(FolderHandle folder) =>
        folder.Handle ?? throw new InvalidOperationException($"'{folder.Path}' was not opened by this file system");

    /// <summary>One path component: never empty, '.', '..' or with a '/', so nothing relative can climb out of its folder.</summary>
    private static string CheckName(string name) =>
        name.Length == 0 || name == "." || name == ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            ? throw new IOException($"'{name}' is not a single path component")
            : name;

    private int OpenAt(FolderHandle folder, string name, int flags, uint mode) =>
        _platform.IsAppleArm64
            ? Interop.Libc.OpenAtAppleArm64(Fd(folder), CheckName(name), flags, 0, 0, 0, 0, 0, (nint)mode)
            : Interop.Libc.OpenAt(Fd(folder), CheckName(name), flags, mode);

    public FolderHandle? TryOpenFolderForStat(string path, out int error)
    {
        int fd = Interop.Libc.Open(path, _platform.ODirectory | _platform.ONoFollow | _platform.OCloExec | _platform.ONonBlock);
        if (fd < 0)
        {
            error = Marshal.GetLastPInvokeError();
            return null;
        }

        error = 0;
        return new FolderHandle(path, new SafeFileHandle(fd, ownsHandle: true));
    }

    public bool TryLstatIn(FolderHandle folder, string name, out FileStat stat, out int error)
    {
        if (OperatingSystem.IsLinux() && !s_statxMissing)
        {
            if (StatxAt(Fd(folder), CheckName(name), _platform.AtSymlinkNoFollow, out stat, out error) || error != _platform.ENoSys)
            {
                return error == 0;
            }

            s_statxMissing = true;
        }

        return OperatingSystem.IsMacOS()
            ? TryStatAt(folder, name, out stat, out error)
            : TryLstat(folder.Join(CheckName(name)), out stat, out error);
    }

    [SupportedOSPlatform("linux")]
    private static bool TryStatxAt(SafeFileHandle dirfd, string name, int flags, out FileStat stat, out int error)
    {
        if (!StatxAt(dirfd, name, flags, out stat, out error) && error == UnixPlatform.Current.ENoSys)
        {
            throw new IOException("local backups need statx (Linux 4.11 and glibc 2.28 / musl 1.2.5 or newer)");
        }

        return error == 0;
    }

    /// <summary>statx relative to <paramref name="dirfd"/>; false with the OS error, ENOSYS when this libc or kernel has no statx.</summary>
    [SupportedOSPlatform("linux")]
    private static bool StatxAt(SafeFileHandle dirfd, string name, int flags, out FileStat stat, out int error)
    {
        try
        {
            if (Interop.Libc.StatxNative(dirfd, name, flags, Interop.Libc.StatxBasicStats, out var sx) == 0)
            {
                stat = FromStatx(sx);
                error = 0;
                return true;
            }

            error = Marshal.GetLastPInvokeError();
        }
        catch (EntryPointNotFoundException)
        {
            error = UnixPlatform.Current.ENoSys;
        }

        stat = default;
        return false;
    }

    private static FileStat FromStatMac(in Interop.Libc.StatMac st) =>
        new(KindOf(st.st_mode), st.st_mode & 0xFFF, st.st_size, st.st_mtimespec.tv_sec, (uint)st.st_mtimespec.tv_nsec)
        {
            Uid = st.st_uid,
            Gid = st.st_gid,
            Device = (uint)st.st_dev,
            Inode = st.st_ino,
            Links = st.st_nlink,
        };
}

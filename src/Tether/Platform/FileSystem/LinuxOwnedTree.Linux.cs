using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Common;

namespace Tether.Platform.FileSystem;

/// <summary><see cref="IOwnedTree"/> with openat, mkdirat, statx on the handle, fchown, fchmod, renameat and unlinkat.</summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxOwnedTree : IOwnedTree
{
    // Linux <fcntl.h>; O_DIRECTORY differs on arm (0x4000) and x86 (0x10000), O_NOFOLLOW comes from UnixPlatform.
    private const int ORdOnly = 0;
    private const int OWrOnly = 1;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;
    private const int ELoop = 40;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int TypeMask = 0xF000;
    private const int TypeDirectory = 0x4000;
    private const int TypeRegular = 0x8000;
    private const int TypeSymlink = 0xA000;

    private static readonly int ODirectory =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 ? 0x4000 : 0x10000;

    private readonly UnixPlatform _platform = UnixPlatform.Current;

    private int NoFollow => _platform.ONoFollow | _platform.OCloExec;

    public uint ProcessUid => Interop.Libc.Geteuid();

    public SafeFileHandle OpenFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int fd = Interop.Libc.Open(path, ORdOnly | ODirectory | _platform.OCloExec);
        if (fd < 0)
        {
            throw Failure(path, Marshal.GetLastPInvokeError(), folder: true);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public SafeFileHandle? TryOpenFolderAt(SafeFileHandle folder, string name, string pathForError)
    {
        CheckName(name);
        int fd = Interop.Libc.OpenAt(folder, name, ORdOnly | ODirectory | NoFollow, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == ENoEnt ? null : throw Failure(pathForError, errno, folder: true);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public void CreateFolderAt(SafeFileHandle folder, string name, int mode, string pathForError)
    {
        CheckName(name);
        if (Interop.Libc.MkdirAt(folder, name, (uint)mode) != 0)
        {
            throw Failure(pathForError, Marshal.GetLastPInvokeError(), folder: true, "cannot create");
        }
    }

    public SafeFileHandle? TryOpenFileAt(SafeFileHandle folder, string name, string pathForError)
    {
        CheckName(name);
        int fd = Interop.Libc.OpenAt(folder, name, ORdOnly | _platform.ONonBlock | NoFollow, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == ENoEnt ? null : throw Failure(pathForError, errno, folder: false);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public SafeFileHandle CreateFileAt(SafeFileHandle folder, string name, int mode, string pathForError)
    {
        CheckName(name);
        int fd = Interop.Libc.OpenAt(folder, name, OWrOnly | OCreat | OExcl | NoFollow, (uint)mode);
        if (fd < 0)
        {
            throw Failure(pathForError, Marshal.GetLastPInvokeError(), folder: false, "cannot create");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public OwnedEntry Stat(SafeFileHandle handle, string pathForError)
    {
        if (Interop.Libc.StatxNative(handle, string.Empty, AtEmptyPath, StatxBasicStats, out var buf) != 0)
        {
            throw Failure(pathForError, Marshal.GetLastPInvokeError(), folder: false, "cannot stat");
        }

        var kind = (buf.stx_mode & TypeMask) switch
        {
            TypeDirectory => FileKind.Directory,
            TypeRegular => FileKind.File,
            TypeSymlink => FileKind.Symlink,
            _ => FileKind.Other,
        };
        return new OwnedEntry(kind, buf.stx_uid, buf.stx_gid, buf.stx_mode & 0xFFF, buf.stx_nlink, (long)buf.stx_size);
    }

    public void SetOwner(SafeFileHandle handle, uint uid, uint gid, string pathForError)
    {
        if (Interop.Libc.Fchown(handle, uid, gid) != 0)
        {
            throw Failure(pathForError, Marshal.GetLastPInvokeError(), folder: false, "cannot set the owner of");
        }
    }

    public void SetMode(SafeFileHandle handle, int mode, string pathForError)
    {
        if (Interop.Libc.Fchmod(handle, (uint)mode) != 0)
        {
            throw Failure(pathForError, Marshal.GetLastPInvokeError(), folder: false, "cannot set the mode of");
        }
    }

    public void RenameAt(SafeFileHandle folder, string from, string to, string pathForError)
    {
        CheckName(from);
        CheckName(to);
        if (Interop.Libc.RenameAt(folder, from, folder, to) != 0)
        {
            throw Failure(pathForError, Marshal.GetLastPInvokeError(), folder: false, "cannot replace");
        }
    }

    public bool DeleteAt(SafeFileHandle folder, string name, string pathForError)
    {
        CheckName(name);
        if (Interop.Libc.UnlinkAt(folder, name, 0) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == ENoEnt ? false : throw Failure(pathForError, errno, folder: false, "cannot remove");
        }

        return true;
    }

    public void Sync(SafeFileHandle handle, string pathForError)
    {
        if (Interop.Libc.Fsync(handle) != 0)
        {
            throw Failure(pathForError, Marshal.GetLastPInvokeError(), folder: false, "cannot sync");
        }
    }

    // One component only: a '/' would walk (and follow) more than one step.
    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a single file name", nameof(name));
        }
    }

    private static IOException Failure(string path, int errno, bool folder, string verb = "cannot open") => errno switch
    {
        ELoop => new IOException($"{path} is a symbolic link; refusing to follow it"),
        ENotDir when folder => new IOException($"{path} is not a folder (or is a symbolic link); refusing to follow it"),
        _ => new IOException($"{verb} {path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
    };
}

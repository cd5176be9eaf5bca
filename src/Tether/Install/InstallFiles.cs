using System.Runtime.Versioning;
using Tether.Platform.FileSystem;

namespace Tether.Install;

/// <summary>
/// The file steps of an install: folders with a mode, files written whole through a flushed
/// temporary file and a rename (a crash leaves the old file or the new one, never half of
/// one), and the permission checks that keep root's binary and the config's token private.
/// </summary>
/// <remarks>Thread-safe: stateless.</remarks>
[UnsupportedOSPlatform("windows")]
internal static class InstallFiles
{
    public const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOtherReadWrite = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Makes the folder (and missing parents, 0755) with <paramref name="mode"/> when it does not exist; an existing one is left as it is.</summary>
    public static bool EnsureFolder(string path, UnixFileMode mode)
    {
        if (Directory.Exists(path))
        {
            return false;
        }

        string? parent = Path.GetDirectoryName(path);
        if (parent is not null && !Directory.Exists(parent))
        {
            Directory.CreateDirectory(parent, Mode0755);
        }

        Directory.CreateDirectory(path, mode);
        File.SetUnixFileMode(path, mode); // the umask may have taken bits away
        return true;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically with <paramref name="mode"/> from the first byte on.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        string temp = TempPath(path);
        using (var stream = CreateTemp(temp, mode))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        Commit(temp, path, mode);
    }

    /// <summary>Copies <paramref name="source"/> over <paramref name="destination"/> atomically with <paramref name="mode"/>.</summary>
    public static void CopyAtomically(string source, string destination, UnixFileMode mode)
    {
        string temp = TempPath(destination);
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var output = CreateTemp(temp, mode))
        {
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }

        Commit(temp, destination, mode);
    }

    /// <summary>True when both files hold the same bytes.</summary>
    public static bool SameBytes(string a, string b) => FileBytes.Same(a, b);

    /// <summary>True when both paths name one file (same device and inode), links followed.</summary>
    public static bool SameFile(string a, string b)
    {
        if (!File.Exists(a) || !File.Exists(b))
        {
            return false;
        }

        if (Path.GetFullPath(a) == Path.GetFullPath(b))
        {
            return true;
        }

        // stat, not lstat: /usr/local/bin/tether may be a link to the running binary.
        var fs = FileSystems.Current;
        return fs.TryLstat(RealPath(a), out var statA, out _) && fs.TryLstat(RealPath(b), out var statB, out _) && statA.SameFileAs(statB);
    }

    /// <summary>True when the file exists and belongs to another user than this process (root installing over a file someone else could rewrite).</summary>
    public static bool OwnedByAnotherUser(string path) => OwnerIfAnotherUser(path) is not null;

    /// <summary>The owner's uid when the file (links followed) belongs to another user than this process, else null.</summary>
    public static uint? OwnerIfAnotherUser(string path) =>
        File.Exists(path) && FileSystems.Current.TryLstat(RealPath(path), out var stat, out _) && stat.Uid != FileSystems.Current.EffectiveIds.Uid ? stat.Uid : null;

    /// <summary>
    /// What keeps the user <paramref name="uid"/> (primary group <paramref name="gid"/>; other
    /// groups are not looked at) from reading <paramref name="path"/>: a folder on the way it
    /// cannot enter, or the file itself; null when it can read it (or does not exist yet and its
    /// folders can be entered). The permission bits only, as the kernel checks them without ACLs.
    /// </summary>
    public static string? UnreadableBy(string path, uint uid, uint gid)
    {
        if (uid == 0)
        {
            return null;
        }

        string full = Path.GetFullPath(path);
        var fs = FileSystems.Current;
        string folder = "/";
        foreach (string part in full.Split('/', StringSplitOptions.RemoveEmptyEntries)[..^1])
        {
            folder = Path.Join(folder, part);
            if (fs.TryLstat(folder, out var stat, out _) && stat.Kind == FileKind.Directory && !Allows(stat, uid, gid, execute: true))
            {
                return $"cannot enter {folder} (owner uid {stat.Uid}, mode {Octal((UnixFileMode)stat.Mode)}): run chmod o+x {folder}, or chown to the user";
            }
        }

        if (File.Exists(full) && fs.TryLstat(RealPath(full), out var file, out _) && !Allows(file, uid, gid, execute: false))
        {
            return $"cannot read {full} (owner uid {file.Uid}, mode {Octal((UnixFileMode)file.Mode)}): run chown to the user";
        }

        return null;
    }

    /// <summary>chown of one file or folder (links followed) to <paramref name="uid"/>:<paramref name="gid"/>.</summary>
    public static void SetOwner(string path, uint uid, uint gid)
    {
        if (Directory.Exists(path))
        {
            using var folder = FileSystems.Current.OpenFolderPath(Path.GetFullPath(path), create: false);
            FileSystems.Current.SetOwner(folder, uid, gid);
            return;
        }

        using var handle = File.OpenHandle(path);
        FileSystems.Current.SetOwner(handle, uid, gid, path);
    }

    /// <summary>The permission bits when group or others may read or write the file (a token there is shared), else null.</summary>
    public static UnixFileMode? SharedMode(string path)
    {
        var mode = File.GetUnixFileMode(path);
        return (mode & GroupOrOtherReadWrite) != 0 ? mode : null;
    }

    /// <summary>The permission bits when group or others may write the folder (they could swap root's binary), else null.</summary>
    public static UnixFileMode? WritableByOthers(string folder)
    {
        var mode = File.GetUnixFileMode(folder);
        return (mode & GroupOrOtherWrite) != 0 ? mode : null;
    }

    /// <summary><c>0644</c>.</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');

    private static bool Allows(in FileStat stat, uint uid, uint gid, bool execute)
    {
        int bit = execute ? 1 : 4;
        int shift = stat.Uid == uid ? 6 : stat.Gid == gid ? 3 : 0;
        return ((stat.Mode >> shift) & bit) != 0;
    }

    private static string RealPath(string path)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        return info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
    }

    private static string TempPath(string path) => path + ".tether-install.tmp";

    private static FileStream CreateTemp(string temp, UnixFileMode mode)
    {
        File.Delete(temp); // a leftover of a killed install; FileMode.CreateNew below refuses anything in the way
        return new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = mode });
    }

    private static void Commit(string temp, string path, UnixFileMode mode)
    {
        File.SetUnixFileMode(temp, mode); // the umask may have taken bits away
        File.Move(temp, path, overwrite: true);
        if (Path.GetDirectoryName(path) is { } folder)
        {
            FileSystems.Current.SyncDirectory(folder);
        }
    }
}

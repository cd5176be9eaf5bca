using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.FileSystem;

/// <summary>What an open file or folder is, read from its handle (fstat), so it is what was opened, not what a path names now.</summary>
internal readonly record struct OwnedEntry(FileKind Kind, uint Uid, uint Gid, int Mode, uint Links, long Size);

/// <summary>
/// Files and folders reached through folder handles, never through a symbolic link: each name is
/// opened relative to an open folder with no-follow (<c>openat</c> with <c>O_NOFOLLOW</c>), and
/// owner, mode and type are read and set on the open handle (<c>fstat</c>, <c>fchown</c>,
/// <c>fchmod</c>). Used where the agent, often root, writes into a tree another user controls
/// (key sync into a user's home, docs/protocol.md §6): a user who swaps a folder for a symlink
/// between two steps gets a refusal, never a write elsewhere.
/// </summary>
/// <remarks>
/// Errors are <see cref="IOException"/> whose message names <c>pathForError</c>: a symlink (or a
/// non-folder) where a folder is expected says so. Implementations are stateless and thread-safe.
/// </remarks>
internal interface IOwnedTree
{
    /// <summary>The user id that owns what this process creates (the effective uid).</summary>
    uint ProcessUid { get; }

    /// <summary>Opens the folder <paramref name="path"/>, the trusted anchor of a walk (symlinks in it are followed).</summary>
    SafeFileHandle OpenFolder(string path);

    /// <summary>Opens the folder <paramref name="name"/> inside <paramref name="folder"/> without following a symlink; null when there is no such entry.</summary>
    SafeFileHandle? TryOpenFolderAt(SafeFileHandle folder, string name, string pathForError);

    /// <summary>Creates the folder <paramref name="name"/> inside <paramref name="folder"/> (mode filtered by the umask; set it after).</summary>
    void CreateFolderAt(SafeFileHandle folder, string name, int mode, string pathForError);

    /// <summary>Opens the file <paramref name="name"/> for reading without following a symlink or blocking on a FIFO; null when there is no such entry.</summary>
    SafeFileHandle? TryOpenFileAt(SafeFileHandle folder, string name, string pathForError);

    /// <summary>Creates a new file for writing; fails when the name exists in any form (<c>O_EXCL</c>, a symlink included).</summary>
    SafeFileHandle CreateFileAt(SafeFileHandle folder, string name, int mode, string pathForError);

    /// <summary>Type, owner, mode, link count and size of what <paramref name="handle"/> refers to.</summary>
    OwnedEntry Stat(SafeFileHandle handle, string pathForError);

    /// <summary>Sets owner and group of the open file or folder.</summary>
    void SetOwner(SafeFileHandle handle, uint uid, uint gid, string pathForError);

    /// <summary>Sets the permission bits of the open file or folder.</summary>
    void SetMode(SafeFileHandle handle, int mode, string pathForError);

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> inside one folder, in one step.</summary>
    void RenameAt(SafeFileHandle folder, string from, string to, string pathForError);

    /// <summary>Removes the entry <paramref name="name"/> (a symlink itself, never its target); false when it did not exist.</summary>
    bool DeleteAt(SafeFileHandle folder, string name, string pathForError);

    /// <summary>Makes the file's data, or the folder's entries, durable (fsync).</summary>
    void Sync(SafeFileHandle handle, string pathForError);
}

/// <summary>Chooses the <see cref="IOwnedTree"/> of the OS the agent runs on.</summary>
internal static class OwnedTrees
{
    /// <summary>Linux: <see cref="LinuxOwnedTree"/>; null elsewhere (not implemented there yet).</summary>
    public static IOwnedTree? Current { get; } = OperatingSystem.IsLinux() ? new LinuxOwnedTree() : null;
}

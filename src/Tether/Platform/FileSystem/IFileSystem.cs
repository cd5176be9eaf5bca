using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.FileSystem;

/// <summary>
/// The file operations a local backup and the key sync need beyond System.IO: lstat with
/// nanosecond times, times set on a link or an open file, no-follow opens, in-kernel copies,
/// atomic replace and folder durability. One implementation per OS, from
/// <see cref="FileSystems.Current"/>.
/// </summary>
/// <remarks>Implementations are stateless apart from probing caches and are thread-safe.</remarks>
internal interface IFileSystem
{
    /// <summary>lstat: false (with the OS error in <paramref name="error"/>) when it does not exist or cannot be read.</summary>
    bool TryLstat(string path, out FileStat stat, out int error);

    /// <summary>Sets atime and mtime to this mtime; on the link itself when <paramref name="noFollow"/>.</summary>
    void SetTimes(string path, long sec, uint nsec, bool noFollow);

    /// <summary>Sets atime and mtime of an open file; <paramref name="pathForError"/> names it in errors.</summary>
    void SetTimes(SafeFileHandle file, long sec, uint nsec, string pathForError);

    /// <summary>Sets permission bits; a no-op where the OS has none (Windows).</summary>
    void SetMode(string path, int mode);

    /// <summary>Sets permission bits of an open file; a no-op where the OS has none (Windows).</summary>
    void SetMode(SafeFileHandle file, int mode);

    /// <summary>Opens a file for reading, refusing a symlink in the last component.</summary>
    SafeFileHandle OpenReadNoFollow(string path);

    /// <summary>Creates or truncates a file for writing, readable by its owner only until its mode is set.</summary>
    SafeFileHandle CreateForWrite(string path);

    /// <summary>
    /// Copies up to <paramref name="count"/> bytes from the current offsets inside the kernel: the
    /// bytes copied, 0 at the end of the input, or -1 with the OS's words in
    /// <paramref name="failure"/> (null where the OS has no such copy). On a first call, -1 means
    /// "copy through a buffer instead"; later, an I/O error.
    /// </summary>
    long CopyRange(SafeFileHandle input, SafeFileHandle output, int count, out string? failure);

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> in one step (rename(2), MoveFileEx with replace).</summary>
    void Replace(string from, string to);

    /// <summary>Makes the entries of a folder durable (fsync of the folder); a no-op where the OS offers none.</summary>
    void SyncDirectory(string directory);

    // Walking by folder handle (docs/protocol.md §5): every name below is one path component,
    // opened relative to a folder this interface opened, and a symlink is never followed.

    /// <summary>True when copies can keep owner and group (Unix, agent running as root); false on Windows.</summary>
    bool CanKeepOwners { get; }

    /// <summary>The agent's effective user and group ids (0 on Windows).</summary>
    (uint Uid, uint Gid) EffectiveIds { get; }

    /// <summary>
    /// Opens the absolute folder <paramref name="path"/> from the file system root, one component
    /// at a time, refusing a symlink at any of them; with <paramref name="create"/> missing
    /// components are made (0755, like <c>mkdir -p</c>).
    /// </summary>
    FolderHandle OpenFolderPath(string path, bool create);

    /// <summary>Opens the folder <paramref name="name"/> inside <paramref name="parent"/>, refusing a symlink or anything else that is not a folder.</summary>
    FolderHandle OpenFolder(FolderHandle parent, string name);

    /// <summary>lstat of <paramref name="name"/> inside <paramref name="folder"/>; false (with the OS error) when it does not exist.</summary>
    bool TryStatAt(FolderHandle folder, string name, out FileStat stat, out int error);

    /// <summary>
    /// Opens the absolute folder <paramref name="path"/> in one call, to read its entries'
    /// metadata with <see cref="TryLstatIn"/> (the backup planner, which only reads; the copier
    /// checks every entry again): a symlink in the last component is refused, earlier components
    /// resolve as in any path. Null, with the OS error, when it is missing, not a folder or cannot
    /// be opened.
    /// </summary>
    FolderHandle? TryOpenFolderForStat(string path, out int error);

    /// <summary>
    /// lstat of <paramref name="name"/> inside <paramref name="folder"/>, relative to the folder's
    /// descriptor (one path component to resolve, not the whole path); unlike
    /// <see cref="TryStatAt"/> it falls back to an lstat by path where statx is missing.
    /// </summary>
    bool TryLstatIn(FolderHandle folder, string name, out FileStat stat, out int error);

    /// <summary>fstat of an open file.</summary>
    FileStat Stat(SafeFileHandle file, string pathForError);

    /// <summary>fstat of an open folder.</summary>
    FileStat Stat(FolderHandle folder);

    /// <summary>Creates the folder <paramref name="name"/> (mode 0700 until its own mode is set); fails if the name exists.</summary>
    void CreateFolder(FolderHandle parent, string name);

    /// <summary>Opens <paramref name="name"/> for reading, refusing a symlink; never blocks on a FIFO and never becomes a controlling terminal.</summary>
    SafeFileHandle OpenReadAt(FolderHandle folder, string name);

    /// <summary>Creates <paramref name="name"/> for writing, owner-only (0600); fails if the name exists in any form, a dangling symlink included.</summary>
    SafeFileHandle CreateExclusiveAt(FolderHandle folder, string name);

    /// <summary>Removes the entry <paramref name="name"/> (a file or a symlink itself); false when there was none.</summary>
    bool DeleteAt(FolderHandle folder, string name);

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> inside one folder in one step.</summary>
    void RenameAt(FolderHandle folder, string from, string to);

    /// <summary>Creates the symlink <paramref name="name"/> pointing at <paramref name="target"/>; fails if the name exists.</summary>
    void CreateSymlinkAt(FolderHandle folder, string name, string target);

    /// <summary>The target of the symlink <paramref name="name"/>, or null when it is not one.</summary>
    string? ReadLinkAt(FolderHandle folder, string name);

    /// <summary>Sets the times of the symlink <paramref name="name"/> itself (a no-op where links keep the time they were made).</summary>
    void SetLinkTimesAt(FolderHandle folder, string name, long sec, uint nsec);

    /// <summary>Sets owner and group of the symlink <paramref name="name"/> itself, never of what it points at.</summary>
    void SetLinkOwnerAt(FolderHandle folder, string name, uint uid, uint gid);

    /// <summary>Sets owner and group of an open file (fchown); a no-op on Windows.</summary>
    void SetOwner(SafeFileHandle file, uint uid, uint gid, string pathForError);

    /// <summary>Sets owner and group of an open folder.</summary>
    void SetOwner(FolderHandle folder, uint uid, uint gid);

    /// <summary>Sets the permission bits of an open folder.</summary>
    void SetMode(FolderHandle folder, int mode);

    /// <summary>Sets atime and mtime of an open folder.</summary>
    void SetTimes(FolderHandle folder, long sec, uint nsec);
}

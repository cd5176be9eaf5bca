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
}

namespace Tether.Update;

/// <summary>The file operations <see cref="BinarySwap"/> needs, so its order of steps is unit-tested with a fake that behaves like Windows.</summary>
internal interface IBinaryFiles
{
    bool Exists(string path);

    /// <summary>Renames in one step; with <paramref name="overwrite"/> over an existing file (not possible over a running .exe on Windows).</summary>
    void Move(string from, string to, bool overwrite);

    /// <summary>Deletes; a missing file is no error.</summary>
    void Delete(string path);

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/> (created or truncated), flushed to disk, with <paramref name="from"/>'s mode.</summary>
    void CopyFlushed(string from, string to);

    /// <summary>Makes the folder's entries durable (fsync of the folder; nothing on Windows).</summary>
    void SyncDirectory(string directory);
}

namespace Tether.Update;

/// <summary>Whole-file replacement that a crash cannot tear: temporary file beside the target, flushed, renamed over it, the folder synced.</summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);

        // The rename is durable only once the folder is: without this a power loss may bring back the old file.
        BinaryFiles.Instance.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}

using Tether.Platform.FileSystem;

namespace Tether.Update;

/// <summary><see cref="IBinaryFiles"/> on the real file system.</summary>
internal sealed class BinaryFiles : IBinaryFiles
{
    public static BinaryFiles Instance { get; } = new();

    public bool Exists(string path) => File.Exists(path);

    public void Move(string from, string to, bool overwrite) => File.Move(from, to, overwrite);

    public void Delete(string path) => File.Delete(path);

    public void CopyFlushed(string from, string to)
    {
        using (var input = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var output = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }
    }

    public void SyncDirectory(string directory) => FileSystems.Current.SyncDirectory(directory);
}

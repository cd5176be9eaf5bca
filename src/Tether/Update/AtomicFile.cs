namespace Tether.Update;

/// <summary>Whole-file replacement that a crash cannot tear: temporary file beside the target, flushed, renamed over it.</summary>
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
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> through a flushed temporary file and a rename; keeps the mode.</summary>
    public static void Copy(string source, string destination)
    {
        string temp = destination + ".tmp";
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(source));
        }

        File.Move(temp, destination, overwrite: true);
    }
}

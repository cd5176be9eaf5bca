namespace Tether.Platform.Processes;

/// <summary>Replaces the running program with another one in the same process (same pid, same open standard streams).</summary>
internal static class ProcessImage
{
    /// <summary>
    /// Runs <paramref name="path"/> in place of this process with <paramref name="arguments"/> (argv[1..])
    /// and the current environment. Returns only when the OS refused, with its reason; on Windows,
    /// which has no exec, it returns a reason at once.
    /// </summary>
    public static string Replace(string path, IReadOnlyList<string> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arguments);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            return UnixProcessImage.Replace(path, arguments);
        }

        return "this OS cannot replace a running program in place";
    }
}

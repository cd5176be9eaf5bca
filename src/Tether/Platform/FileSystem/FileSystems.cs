namespace Tether.Platform.FileSystem;

/// <summary>Chooses the file system layer for the OS the agent runs on.</summary>
internal static class FileSystems
{
    /// <summary>Linux and macOS: <see cref="UnixFileSystem"/>; Windows: <see cref="WindowsFileSystem"/>.</summary>
    public static IFileSystem Current { get; } = Create();

    private static IFileSystem Create()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            return new UnixFileSystem();
        }

        return new WindowsFileSystem();
    }
}

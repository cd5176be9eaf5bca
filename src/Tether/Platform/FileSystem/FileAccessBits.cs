namespace Tether.Platform.FileSystem;

/// <summary>Permission bits of a file, following symlinks, where the OS has them.</summary>
/// <remarks>Thread-safe: stateless.</remarks>
internal static class FileAccessBits
{
    /// <summary>The permission bits (<c>0777</c> part of <c>st_mode</c>) of <paramref name="path"/> after following symlinks; null on Windows or when it cannot be read.</summary>
    public static int? TryRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return (int)File.GetUnixFileMode(path) & 0x1FF;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using System.Globalization;
using System.Runtime.Versioning;
using Tether.Platform.FileSystem;

namespace Tether.Keys;

/// <summary>
/// Appends keys to authorized_keys without ever exposing a partial file (docs/protocol.md §6): the old
/// bytes plus the new lines go to a temporary file in the same directory, which is fsynced,
/// made 0600 and renamed over the original; then the directory is fsynced. A crash at any point
/// leaves either the old file or the new one. The directory is created 0700 when missing and set
/// to 0700 when it exists (OpenSSH's StrictModes refuses group/other-writable ones).
/// </summary>
/// <remarks>Not safe for concurrent use on the same file: callers serialize (one sync at a time).</remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal static class AuthorizedKeysFile
{
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const string TempInfix = ".tether-";

    /// <summary>Longest authorized_keys read; a larger one is refused rather than rewritten.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Reads the current bytes (empty when the file does not exist).</summary>
    public static byte[] ReadExisting(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new IOException($"{path} is larger than {MaxFileBytes.ToString(CultureInfo.InvariantCulture)} bytes; not touched");
            }

            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Makes sure the directory exists with mode 0700.</summary>
    public static void PrepareDirectory(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode0700);
        }

        if (File.GetUnixFileMode(directory) != DirectoryMode0700)
        {
            File.SetUnixFileMode(directory, DirectoryMode0700);
        }
    }

    /// <summary>Replaces <paramref name="path"/> atomically with <paramref name="existing"/> followed by <paramref name="appendix"/>.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> existing, ReadOnlySpan<byte> appendix)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var prefix = "." + Path.GetFileName(full) + TempInfix;
        RemoveStaleTemporaries(directory, prefix);
        var temp = Path.Combine(directory, prefix + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode0600,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(existing);
                stream.Write(appendix);
                stream.Flush(flushToDisk: true);
            }

            // The create mode is filtered by the umask; set it exactly.
            File.SetUnixFileMode(temp, FileMode0600);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }

            throw;
        }

        FileSystems.Current.SyncDirectory(directory);
    }

    /// <summary>
    /// Deletes temporaries a killed agent left behind (callers serialize syncs of the file, so
    /// none of them is being written now). They never carry the real name, so they are only litter.
    /// </summary>
    private static void RemoveStaleTemporaries(string directory, string prefix)
    {
        foreach (var stale in Directory.EnumerateFiles(directory, prefix + "*"))
        {
            try
            {
                File.Delete(stale);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Sets 0600 on an existing file (a sync that adds nothing still fixes a loose mode).</summary>
    public static void FixMode(string path)
    {
        if (File.Exists(path) && File.GetUnixFileMode(path) != FileMode0600)
        {
            File.SetUnixFileMode(path, FileMode0600);
        }
    }
}

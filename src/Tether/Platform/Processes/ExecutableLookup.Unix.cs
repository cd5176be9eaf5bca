namespace Tether.Platform.Processes;

/// <summary>
/// Finds the program a child will run the way execvp would, but in the PATH of the environment
/// the caller built for the child, not the agent's own (so an allowlisted word always names
/// the same program however the agent was started). Shared by the PTY and the command launcher.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class ExecutableLookup
{
    /// <summary>
    /// <paramref name="file"/> itself when it contains a slash (then it must be absolute), else the
    /// first executable regular file of that name in <paramref name="path"/>; null when none.
    /// </summary>
    public static string? Resolve(string file, string? path)
    {
        if (file.Length == 0 || file.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        if (file.Contains('/', StringComparison.Ordinal))
        {
            return Path.IsPathRooted(file) && IsExecutableFile(file) ? file : null;
        }

        foreach (var directory in (path ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, file);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutableFile(string path)
    {
        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return File.Exists(path) && (File.GetUnixFileMode(path) & AnyExecute) != 0;
    }
}

namespace Tether.Platform.Processes;

/// <summary>
/// Finds the program a Windows child will run, in the PATH and PATHEXT of the environment the
/// caller built for the child (not the agent's own), the way cmd.exe searches but stricter.
/// Pure: the file system is reached only through the injected <c>fileExists</c>, and paths are
/// handled with Windows rules on every OS, so the logic is tested on Linux.
/// </summary>
/// <remarks>
/// <para>Stricter than cmd.exe and CreateProcess on purpose: the current directory and the
/// agent's own directory are never searched, relative PATH entries are skipped, and a name
/// with a directory part must be fully qualified (<c>C:\…</c> or <c>\\server\share\…</c>), so an
/// allowlisted word always names the same program however the agent was started.</para>
/// <para>Only extensions CreateProcess can start are tried (<c>.com</c>, <c>.exe</c>, and the
/// batch files <c>.bat</c>/<c>.cmd</c> that it hands to cmd.exe), in PATHEXT order
/// (<see cref="DefaultPathExt"/> when the environment has none). A name that already ends in
/// such an extension is tried as it is first.</para>
/// <para>After PATH, <c>fallbackDirectories</c> are searched: the system directory, so that
/// <c>cmd.exe</c> is found even when the shell's PATH (the agent's own) lacks it.</para>
/// </remarks>
internal static class WindowsExecutableLookup
{
    /// <summary>PATHEXT when the child's environment has none.</summary>
    internal const string DefaultPathExt = ".COM;.EXE;.BAT;.CMD";

    private static readonly string[] Startable = [".com", ".exe", ".bat", ".cmd"];

    /// <summary>The full path of the program, or null when none is found.</summary>
    /// <param name="file">A bare name (<c>ipconfig</c>, <c>cmd.exe</c>) or a fully qualified path.</param>
    /// <param name="path">The child's PATH (<c>;</c>-separated, entries may be quoted), or null.</param>
    /// <param name="pathExt">The child's PATHEXT, or null for <see cref="DefaultPathExt"/>.</param>
    /// <param name="fileExists">True when a regular file exists at the path.</param>
    /// <param name="fallbackDirectories">Searched after PATH (fully qualified directories).</param>
    internal static string? Resolve(
        string file,
        string? path,
        string? pathExt,
        Func<string, bool> fileExists,
        IReadOnlyList<string>? fallbackDirectories = null)
    {
        ArgumentNullException.ThrowIfNull(fileExists);
        if (string.IsNullOrEmpty(file) || file.AsSpan().IndexOfAny("\0\"*?<>|") >= 0)
        {
            return null;
        }

        var extensions = Extensions(pathExt);
        if (file.AsSpan().IndexOfAny("\\/:") >= 0)
        {
            return IsFullyQualified(file) ? FirstExisting(file, extensions, fileExists) : null;
        }

        foreach (var directory in Directories(path, fallbackDirectories))
        {
            if (FirstExisting(Join(directory, file), extensions, fileExists) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// True for <c>C:\…</c>, <c>C:/…</c> and UNC or device paths (<c>\\server\share</c>,
    /// <c>\\?\C:\…</c>); false for <c>C:foo</c> (relative to a drive's current directory),
    /// <c>\foo</c> (relative to the current drive) and relative paths.
    /// </summary>
    internal static bool IsFullyQualified(string path)
    {
        if (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && IsSeparator(path[2]))
        {
            return true;
        }

        return path.Length >= 3 && IsSeparator(path[0]) && IsSeparator(path[1]) && !IsSeparator(path[2]);
    }

    /// <summary>The startable extensions of <paramref name="pathExt"/>, in its order, lower case, without duplicates.</summary>
    internal static List<string> Extensions(string? pathExt)
    {
        var result = new List<string>();
        foreach (var raw in (string.IsNullOrWhiteSpace(pathExt) ? DefaultPathExt : pathExt).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var extension = raw.ToLowerInvariant();
            if (Array.IndexOf(Startable, extension) >= 0 && !result.Contains(extension))
            {
                result.Add(extension);
            }
        }

        return result;
    }

    private static string? FirstExisting(string candidate, List<string> extensions, Func<string, bool> fileExists)
    {
        var fileName = candidate[(candidate.LastIndexOfAny(['\\', '/']) + 1)..];
        var dot = fileName.LastIndexOf('.');
        if (dot > 0 && extensions.Contains(fileName[dot..].ToLowerInvariant()) && fileExists(candidate))
        {
            return candidate;
        }

        foreach (var extension in extensions)
        {
            var withExtension = candidate + extension;
            if (fileExists(withExtension))
            {
                return withExtension;
            }
        }

        return null;
    }

    private static IEnumerable<string> Directories(string? path, IReadOnlyList<string>? fallbackDirectories)
    {
        foreach (var raw in (path ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var directory = raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"' ? raw[1..^1] : raw;
            if (IsFullyQualified(directory))
            {
                yield return directory;
            }
        }

        foreach (var directory in fallbackDirectories ?? [])
        {
            if (!string.IsNullOrEmpty(directory) && IsFullyQualified(directory))
            {
                yield return directory;
            }
        }
    }

    private static string Join(string directory, string file) =>
        IsSeparator(directory[^1]) ? directory + file : directory + "\\" + file;

    private static bool IsSeparator(char c) => c is '\\' or '/';
}

using System.Diagnostics.CodeAnalysis;

namespace Tether.Policy;

/// <summary>
/// Decides whether a path lies under one of a list of allowed roots after resolving <c>..</c>
/// and symlinks of both (docs/protocol.md §4 <c>admin.allowedCwds</c>, §5 backup roots). Reads the
/// filesystem.
/// </summary>
/// <remarks>
/// Resolution follows realpath(3): components are taken left to right, each existing symlink
/// is replaced by its target (at most <see cref="MaxSymlinks"/>), and <c>..</c> applies to the
/// resolved prefix, so <c>link/..</c> is the link target's parent. Only absolute paths are
/// accepted (the agent's own working directory means nothing to the dashboard). The path must
/// exist unless <c>pathMustExist</c> is false, in which case the missing tail is appended
/// lexically. A root that is relative or does not resolve is skipped; an empty list refuses
/// everything. Containment compares whole components ordinally (<c>/srv/app2</c> is not under
/// <c>/srv/app</c>); ordinal also on case-insensitive filesystems, which can only refuse a
/// path spelled in another case, never admit one outside. The check is a snapshot: a
/// component swapped for a symlink afterwards is not seen. Thread-safe: stateless.
/// </remarks>
internal static class PathPolicy
{
    /// <summary>Same limit as Linux's MAXSYMLINKS; beyond it, resolution fails (ELOOP).</summary>
    public const int MaxSymlinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>
    /// True (with the resolved path) when <paramref name="path"/>, resolved, equals or lies
    /// under one of <paramref name="roots"/>, resolved.
    /// </summary>
    public static PathCheckResult IsUnderAllowedRoot(string path, IReadOnlyList<string> roots, bool pathMustExist = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            return PathCheckResult.Refused("no allowed roots are configured");
        }

        if (!TryResolve(path, pathMustExist, out var resolved, out var error))
        {
            return PathCheckResult.Refused(error);
        }

        foreach (var root in roots)
        {
            if (root is not null && TryResolve(root, mustExist: true, out var resolvedRoot, out _) && IsSameOrUnder(resolved, resolvedRoot))
            {
                return PathCheckResult.Allowed(resolved);
            }
        }

        return PathCheckResult.Refused(
            string.Equals(resolved, path, StringComparison.Ordinal)
                ? $"'{path}' is not under an allowed root"
                : $"'{path}' resolves to '{resolved}', which is not under an allowed root",
            resolved);
    }

    /// <summary>
    /// realpath(3) semantics (see remarks). With <paramref name="mustExist"/> false, a missing
    /// tail is kept lexically, with <c>.</c> and <c>..</c> applied.
    /// </summary>
    public static bool TryResolve(string path, bool mustExist, [NotNullWhen(true)] out string? resolved, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        resolved = null;
        if (path.Length == 0)
        {
            error = "path is empty";
            return false;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            error = "path contains NUL";
            return false;
        }

        if (!Path.IsPathFullyQualified(path))
        {
            error = $"'{path}' is not an absolute path";
            return false;
        }

        try
        {
            return TryResolveCore(path, mustExist, out resolved, out error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"'{path}' cannot be resolved: {e.Message}";
            return false;
        }
    }

    private static bool TryResolveCore(string path, bool mustExist, [NotNullWhen(true)] out string? resolved, [NotNullWhen(false)] out string? error)
    {
        resolved = null;
        var current = Path.GetPathRoot(path)!;
        var pending = new Stack<string>();
        PushComponents(pending, path[current.Length..]);
        var links = 0;
        var missing = false;
        while (pending.Count > 0)
        {
            var component = pending.Pop();
            if (component is "" or ".")
            {
                continue;
            }

            if (component == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;

                // Climbing out of the missing tail: what follows may exist and be a symlink.
                missing = missing && !Directory.Exists(current);
                continue;
            }

            var candidate = Path.Join(current, component);
            if (missing)
            {
                current = candidate;
                continue;
            }

            var target = new FileInfo(candidate).LinkTarget;
            if (target is not null)
            {
                if (++links > MaxSymlinks)
                {
                    error = $"'{path}' has too many levels of symbolic links";
                    return false;
                }

                // A relative target is relative to the link's directory, which is `current`.
                var combined = Path.Combine(current, target);
                PushComponents(pending, combined[Path.GetPathRoot(combined)!.Length..]);
                current = Path.GetPathRoot(combined)!;
                continue;
            }

            if (Directory.Exists(candidate))
            {
                current = candidate;
                continue;
            }

            if (File.Exists(candidate) && pending.All(static c => c is "" or "."))
            {
                current = candidate;
                continue;
            }

            if (mustExist || File.Exists(candidate))
            {
                error = File.Exists(candidate)
                    ? $"'{path}': '{candidate}' is not a directory"
                    : $"'{path}' does not exist";
                return false;
            }

            missing = true;
            current = candidate;
        }

        resolved = current;
        error = null;
        return true;
    }

    // Pushed in reverse so the first component pops first.
    private static void PushComponents(Stack<string> pending, string relative)
    {
        var parts = relative.Split(Separators);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static bool IsSameOrUnder(string path, string root)
    {
        var pathParts = Components(path);
        var rootParts = Components(root);
        if (rootParts.Length > pathParts.Length)
        {
            return false;
        }

        for (var i = 0; i < rootParts.Length; i++)
        {
            if (!string.Equals(pathParts[i], rootParts[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // The root ("/" or "C:\") first, then the non-empty components.
    private static string[] Components(string resolved)
    {
        var root = Path.GetPathRoot(resolved)!;
        return [root, .. resolved[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries)];
    }
}

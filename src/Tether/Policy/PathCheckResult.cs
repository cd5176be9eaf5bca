namespace Tether.Policy;

/// <summary>The outcome of <see cref="PathPolicy.IsUnderAllowedRoot"/>. Immutable.</summary>
internal sealed class PathCheckResult
{
    private PathCheckResult(bool isAllowed, string? resolvedPath, string? reason)
    {
        IsAllowed = isAllowed;
        ResolvedPath = resolvedPath;
        Reason = reason;
    }

    public bool IsAllowed { get; }

    /// <summary>
    /// The path with <c>..</c> and symlinks resolved, when it could be resolved. Use this one,
    /// not the requested text, for the operation: it held no symlink when checked, which
    /// narrows (does not close) the window for swapping one in.
    /// </summary>
    public string? ResolvedPath { get; }

    /// <summary>Why the path is refused; null when allowed. Names no configuration key: the caller adds it.</summary>
    public string? Reason { get; }

    public static PathCheckResult Allowed(string resolvedPath) => new(true, resolvedPath, null);

    public static PathCheckResult Refused(string reason, string? resolvedPath = null) => new(false, resolvedPath, reason);
}

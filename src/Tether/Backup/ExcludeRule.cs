using System.Text;

namespace Tether.Backup;

/// <summary>
/// One <c>ignoreGlobs</c> entry with rsync <c>--exclude</c> meaning (docs/protocol.md §5): a trailing
/// <c>/</c> matches directories only; a leading <c>/</c> anchors at the transfer root (the
/// source dir); a pattern with no <c>/</c> and no <c>**</c> matches the last component; an
/// unanchored pattern with an inner <c>/</c> matches that many trailing components; one with
/// <c>**</c> (not leading) may start after any <c>/</c>. Immutable, thread-safe.
/// </summary>
internal sealed class ExcludeRule
{
    private readonly byte[] _pattern;
    private readonly bool _anchored;
    private readonly int _slashCount;
    private readonly bool _doubleStar;
    private readonly bool _doubleStarPrefix;
    private readonly bool _tripleStarSuffix;

    private ExcludeRule(string text, byte[] pattern, bool anchored, bool dirOnly, int slashCount, bool doubleStar, bool doubleStarPrefix)
    {
        Text = text;
        _pattern = pattern;
        _anchored = anchored;
        DirectoryOnly = dirOnly;
        _slashCount = slashCount;
        _doubleStar = doubleStar;
        _doubleStarPrefix = doubleStarPrefix;
        _tripleStarSuffix = pattern.AsSpan().EndsWith("***"u8);
    }

    /// <summary>The glob as given (what rsync receives as <c>--exclude=</c>).</summary>
    public string Text { get; }

    public bool DirectoryOnly { get; }

    /// <summary>
    /// Parses a glob. Refuses what rsync would read as something other than a plain exclude
    /// (an empty pattern, <c>!</c>, a <c>- </c>/<c>+ </c> prefix) and control characters, so
    /// the native engine and the rsync command line never disagree.
    /// </summary>
    public static bool TryParse(string glob, out ExcludeRule? rule, out string error)
    {
        rule = null;
        if (string.IsNullOrEmpty(glob) || glob == "/" || glob == "!")
        {
            error = $"ignore glob '{glob}' is empty or special";
            return false;
        }

        if (glob.StartsWith("- ", StringComparison.Ordinal) || glob.StartsWith("+ ", StringComparison.Ordinal))
        {
            error = $"ignore glob '{glob}' has an rsync rule prefix";
            return false;
        }

        foreach (char c in glob)
        {
            if (char.IsControl(c))
            {
                error = "ignore glob contains a control character";
                return false;
            }
        }

        string p = glob;
        bool dirOnly = false;
        while (p.Length > 1 && p.EndsWith('/'))
        {
            dirOnly = true;
            p = p[..^1];
        }

        int slashes = p.Count(static c => c == '/');
        bool anchored = p.StartsWith('/');
        if (anchored)
        {
            p = p[1..];
        }

        bool doubleStar = p.Contains("**", StringComparison.Ordinal);
        rule = new ExcludeRule(glob, Encoding.UTF8.GetBytes(p), anchored, dirOnly, slashes, doubleStar, p.StartsWith("**", StringComparison.Ordinal));
        error = string.Empty;
        return true;
    }

    /// <summary>True when this rule excludes the entry at <paramref name="relativePath"/> (UTF-8, '/'-separated, from the transfer root).</summary>
    public bool IsMatch(ReadOnlySpan<byte> relativePath, bool isDirectory)
    {
        if (DirectoryOnly && !isDirectory)
        {
            return false;
        }

        if (!_anchored && _slashCount == 0 && !_doubleStar)
        {
            int last = relativePath.LastIndexOf((byte)'/');
            return WildMatch.IsMatch(_pattern, relativePath[(last + 1)..]);
        }

        if (_doubleStarPrefix || (_tripleStarSuffix && isDirectory))
        {
            // rsync matches a leading "**" against "/" + path (so "**/tmp" also finds a top
            // "tmp") and a trailing "/***" against a directory's path + "/" (the dir itself).
            byte[] text = new byte[relativePath.Length + 2];
            int length = 0;
            if (_doubleStarPrefix)
            {
                text[length++] = (byte)'/';
            }

            relativePath.CopyTo(text.AsSpan(length));
            length += relativePath.Length;
            if (_tripleStarSuffix && isDirectory)
            {
                text[length++] = (byte)'/';
            }

            return MatchWild2(text.AsSpan(0, length));
        }

        if (_anchored)
        {
            return WildMatch.IsMatch(_pattern, relativePath);
        }

        if (!_doubleStar)
        {
            // The last slashCount+1 components (the whole path when it has fewer).
            int start = relativePath.Length;
            for (int n = 0; n <= _slashCount && start > 0; n++)
            {
                int slash = relativePath[..start].LastIndexOf((byte)'/');
                start = slash < 0 ? 0 : slash;
                if (slash < 0)
                {
                    break;
                }
            }

            if (start > 0)
            {
                start++;
            }

            return WildMatch.IsMatch(_pattern, relativePath[start..]);
        }

        return MatchWild2(relativePath);
    }

    private bool MatchWild2(ReadOnlySpan<byte> text)
    {
        if (_anchored || _doubleStarPrefix)
        {
            return WildMatch.IsMatch(_pattern, text);
        }

        // An inner or trailing "**": the whole path, then from after every '/'.
        while (true)
        {
            if (WildMatch.IsMatch(_pattern, text))
            {
                return true;
            }

            int slash = text.IndexOf((byte)'/');
            if (slash < 0)
            {
                return false;
            }

            text = text[(slash + 1)..];
        }
    }
}

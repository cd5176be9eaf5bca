namespace Tether.Backup;

/// <summary>
/// rsync's wildcard matching (docs/protocol.md §5 <c>ignoreGlobs</c>): <c>*</c> matches any run of
/// characters but <c>/</c>, <c>**</c> (or more stars) any run including <c>/</c>, <c>?</c> one
/// byte but <c>/</c>, <c>[…]</c> a class (<c>!</c> or <c>^</c> negates, ranges,
/// <c>[:alpha:]</c>-style names; never matches <c>/</c>), <c>\</c> escapes the next character.
/// The whole text must match. Pure and thread-safe.
/// </summary>
internal static class WildMatch
{
    /// <summary>True when <paramref name="pattern"/> matches all of <paramref name="text"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text) => Match(pattern, text) == Result.Match;

    /// <summary>True when the pattern has a character rsync treats as a wildcard.</summary>
    public static bool HasWildcards(ReadOnlySpan<byte> pattern) => pattern.IndexOfAny("*?["u8) >= 0;

    private enum Result
    {
        Match,
        NoMatch,

        // A single '*' hit a '/', so no later start can help it (rsync's ABORT_TO_STARSTAR).
        AbortToStarStar,

        // The text ran out: no later start of an enclosing '*' can match either.
        AbortAll,
    }

    private static Result Match(ReadOnlySpan<byte> p, ReadOnlySpan<byte> t)
    {
        while (!p.IsEmpty)
        {
            byte pc = p[0];
            switch (pc)
            {
                case (byte)'*':
                {
                    int stars = 1;
                    while (stars < p.Length && p[stars] == '*')
                    {
                        stars++;
                    }

                    bool doubleStar = stars >= 2;
                    ReadOnlySpan<byte> rest = p[stars..];
                    if (rest.IsEmpty)
                    {
                        return doubleStar || t.IndexOf((byte)'/') < 0 ? Result.Match : Result.NoMatch;
                    }

                    for (int i = 0; ; i++)
                    {
                        Result r = Match(rest, t[i..]);
                        if (r == Result.Match || (r == Result.AbortAll) || (r == Result.AbortToStarStar && !doubleStar))
                        {
                            return r;
                        }

                        if (i >= t.Length)
                        {
                            return Result.AbortAll;
                        }

                        if (!doubleStar && t[i] == '/')
                        {
                            return Result.AbortToStarStar;
                        }
                    }
                }

                case (byte)'?':
                    if (t.IsEmpty)
                    {
                        return Result.AbortAll;
                    }

                    if (t[0] == '/')
                    {
                        return Result.NoMatch;
                    }

                    p = p[1..];
                    t = t[1..];
                    continue;

                case (byte)'[':
                {
                    if (t.IsEmpty)
                    {
                        return Result.AbortAll;
                    }

                    if (!TryMatchClass(p, t[0], out int consumed, out bool matched))
                    {
                        // rsync: an unterminated class matches nothing.
                        return Result.AbortAll;
                    }

                    if (!matched || t[0] == '/')
                    {
                        return Result.NoMatch;
                    }

                    p = p[consumed..];
                    t = t[1..];
                    continue;
                }

                default:
                {
                    if (pc == '\\' && p.Length > 1)
                    {
                        p = p[1..];
                        pc = p[0];
                    }

                    if (t.IsEmpty)
                    {
                        return Result.AbortAll;
                    }

                    if (t[0] != pc)
                    {
                        return Result.NoMatch;
                    }

                    p = p[1..];
                    t = t[1..];
                    continue;
                }
            }
        }

        return t.IsEmpty ? Result.Match : Result.NoMatch;
    }

    // p starts with '['. consumed covers the whole class including ']'.
    private static bool TryMatchClass(ReadOnlySpan<byte> p, byte c, out int consumed, out bool matched)
    {
        int i = 1;
        bool negated = false;
        if (i < p.Length && (p[i] == '!' || p[i] == '^'))
        {
            negated = true;
            i++;
        }

        bool any = false;
        bool first = true;
        while (true)
        {
            if (i >= p.Length)
            {
                consumed = 0;
                matched = false;
                return false;
            }

            byte pc = p[i];
            if (pc == ']' && !first)
            {
                i++;
                break;
            }

            first = false;
            if (pc == '\\' && i + 1 < p.Length)
            {
                i++;
                pc = p[i];
            }
            else if (pc == '[' && i + 1 < p.Length && p[i + 1] == ':')
            {
                int end = p[(i + 2)..].IndexOf(":]"u8);
                if (end >= 0)
                {
                    var name = p.Slice(i + 2, end);
                    any |= InNamedClass(name, c);
                    i += end + 4;
                    continue;
                }
            }

            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                byte hi = p[i + 2];
                if (hi == '\\' && i + 3 < p.Length)
                {
                    hi = p[i + 3];
                    i++;
                }

                any |= c >= pc && c <= hi;
                i += 3;
                continue;
            }

            any |= c == pc;
            i++;
        }

        consumed = i;
        matched = any != negated;
        return true;
    }

    private static bool InNamedClass(ReadOnlySpan<byte> name, byte b)
    {
        char c = (char)b;
        return name.SequenceEqual("alnum"u8) ? char.IsAsciiLetterOrDigit(c)
            : name.SequenceEqual("alpha"u8) ? char.IsAsciiLetter(c)
            : name.SequenceEqual("blank"u8) ? c is ' ' or '\t'
            : name.SequenceEqual("cntrl"u8) ? c < ' ' || c == 127
            : name.SequenceEqual("digit"u8) ? char.IsAsciiDigit(c)
            : name.SequenceEqual("graph"u8) ? c > ' ' && c < 127
            : name.SequenceEqual("lower"u8) ? char.IsAsciiLetterLower(c)
            : name.SequenceEqual("print"u8) ? c >= ' ' && c < 127
            : name.SequenceEqual("punct"u8) ? c > ' ' && c < 127 && !char.IsAsciiLetterOrDigit(c)
            : name.SequenceEqual("space"u8) ? c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f'
            : name.SequenceEqual("upper"u8) ? char.IsAsciiLetterUpper(c)
            : name.SequenceEqual("xdigit"u8) && char.IsAsciiHexDigit(c);
    }
}

using System.Diagnostics.CodeAnalysis;

namespace Tether.Commands;

/// <summary>
/// Recognises the dashboard's crontab update, <c>echo &lt;b64&gt; | base64 -d | crontab -</c>,
/// as a whole (docs/protocol.md §4). The agent never runs it: it decodes the base64 itself and feeds
/// the bytes to <c>crontab -</c>.
/// </summary>
/// <remarks>
/// Accepted shape: optional spaces/tabs, <c>echo</c>, the payload, <c>|</c>, <c>base64</c>,
/// <c>-d</c> or <c>--decode</c>, <c>|</c>, <c>crontab</c>, <c>-</c>, optional spaces/tabs; words
/// separated by at least one space or tab, pipes by any. The payload is unquoted base64
/// characters (<c>A-Z a-z 0-9 + / =</c>), or single-quoted text without <c>'</c>, or
/// double-quoted text without <c>" \ $ `</c> (so nothing in it would be expanded by sh);
/// quoted text may be empty (an empty crontab) or not valid base64 — that is for
/// <see cref="TryDecodeBase64"/> to report, so the request fails with code 1 rather than
/// being taken for a shell operator. Anything else, before or after, is not the pipeline.
/// Thread-safe: stateless.
/// </remarks>
internal static class CronPipeline
{
    /// <summary>
    /// Longest line recognised as the pipeline; larger than <see cref="CommandLineTokenizer.MaxLength"/>
    /// because a crontab rides in it, and below the transport's default 1 MB payload.
    /// </summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>The argv the decoded bytes are fed to, and the words the allowlist must admit.</summary>
    public static IReadOnlyList<string> CrontabInstallWords { get; } = ["crontab", "-"];

    /// <summary>
    /// True when <paramref name="commandLine"/> is exactly the cron pipeline; <paramref name="base64"/>
    /// is then the payload text between its quotes (not yet validated).
    /// </summary>
    public static bool TryMatch(string commandLine, [NotNullWhen(true)] out string? base64)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        base64 = null;
        if (commandLine.Length > MaxLength)
        {
            return false;
        }

        var s = commandLine.AsSpan();
        var i = 0;
        SkipBlanks(s, ref i);
        if (!TryWord(s, ref i, "echo") || !SkipBlanks(s, ref i) || !TryPayload(s, ref i, out var payload))
        {
            return false;
        }

        SkipBlanks(s, ref i);
        if (!TryLiteral(s, ref i, "|"))
        {
            return false;
        }

        SkipBlanks(s, ref i);
        if (!TryWord(s, ref i, "base64") || !SkipBlanks(s, ref i))
        {
            return false;
        }

        if (!TryWord(s, ref i, "--decode") && !TryWord(s, ref i, "-d"))
        {
            return false;
        }

        SkipBlanks(s, ref i);
        if (!TryLiteral(s, ref i, "|"))
        {
            return false;
        }

        SkipBlanks(s, ref i);
        if (!TryWord(s, ref i, "crontab") || !SkipBlanks(s, ref i) || !TryWord(s, ref i, "-"))
        {
            return false;
        }

        SkipBlanks(s, ref i);
        if (i != s.Length)
        {
            return false;
        }

        base64 = payload;
        return true;
    }

    /// <summary>
    /// Strict RFC 4648 base64: standard alphabet, length a multiple of 4, one or two <c>=</c>
    /// only at the end, unused bits zero, no whitespace. Empty text decodes to no bytes.
    /// </summary>
    public static bool TryDecodeBase64(string text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        bytes = null;
        if (text.Length % 4 != 0)
        {
            error = $"invalid base64: length {text.Length} is not a multiple of 4";
            return false;
        }

        var padding = text.EndsWith("==", StringComparison.Ordinal) ? 2 : text.EndsWith('=') ? 1 : 0;
        var output = new byte[(text.Length / 4 * 3) - padding];
        var o = 0;
        for (var q = 0; q < text.Length; q += 4)
        {
            var last = q + 4 == text.Length;
            var value = 0;
            for (var k = 0; k < 4; k++)
            {
                var c = text[q + k];
                var sextet = Sextet(c);
                if (sextet < 0)
                {
                    var isPadding = c == '=' && last && k >= 4 - padding;
                    if (!isPadding)
                    {
                        error = c == '='
                            ? $"invalid base64: '=' at offset {q + k} is not final padding"
                            : $"invalid base64: character U+{(int)c:X4} at offset {q + k}";
                        return false;
                    }

                    sextet = 0;
                }

                value = (value << 6) | sextet;
            }

            if (last && padding > 0 && (value & (padding == 2 ? 0xFFFF : 0xFF)) != 0)
            {
                error = "invalid base64: non-zero bits before the padding";
                return false;
            }

            output[o++] = (byte)(value >> 16);
            if (!last || padding < 2)
            {
                output[o++] = (byte)(value >> 8);
            }

            if (!last || padding < 1)
            {
                output[o++] = (byte)value;
            }
        }

        bytes = output;
        error = null;
        return true;
    }

    private static int Sextet(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        '/' => 63,
        _ => -1,
    };

    private static bool SkipBlanks(ReadOnlySpan<char> s, ref int i)
    {
        var start = i;
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i > start;
    }

    private static bool TryLiteral(ReadOnlySpan<char> s, ref int i, string literal)
    {
        if (!s[i..].StartsWith(literal, StringComparison.Ordinal))
        {
            return false;
        }

        i += literal.Length;
        return true;
    }

    // A word ends at a blank, a pipe or the end of the line.
    private static bool TryWord(ReadOnlySpan<char> s, ref int i, string word)
    {
        var end = i + word.Length;
        if (!s[i..].StartsWith(word, StringComparison.Ordinal) || (end < s.Length && s[end] is not (' ' or '\t' or '|')))
        {
            return false;
        }

        i = end;
        return true;
    }

    private static bool TryPayload(ReadOnlySpan<char> s, ref int i, [NotNullWhen(true)] out string? payload)
    {
        payload = null;
        if (i >= s.Length)
        {
            return false;
        }

        int start, end;
        if (s[i] is '\'' or '"')
        {
            var quote = s[i];
            start = i + 1;
            var length = quote == '\'' ? s[start..].IndexOf('\'') : s[start..].IndexOfAny("\"\\$`");
            if (length < 0 || s[start + length] != quote)
            {
                return false;
            }

            end = start + length;
            i = end + 1;
        }
        else
        {
            start = i;
            while (i < s.Length && (Sextet(s[i]) >= 0 || s[i] == '='))
            {
                i++;
            }

            end = i;
            if (end == start)
            {
                return false;
            }
        }

        // The payload must be a whole word: "echo 'x'y | …" is not the pipeline.
        if (i < s.Length && s[i] is not (' ' or '\t' or '|'))
        {
            return false;
        }

        payload = s[start..end].ToString();
        return true;
    }
}

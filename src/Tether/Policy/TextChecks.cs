using System.Globalization;
using System.Text;

namespace Tether.Policy;

/// <summary>Character-level checks shared by the command types. Stateless, thread-safe.</summary>
internal static class TextChecks
{
    /// <summary>A POSIX name, <c>[A-Za-z_][A-Za-z0-9_]*</c>: env names, and what makes <c>NAME=</c> an assignment in sh.</summary>
    public static bool IsPosixName(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || !(char.IsAsciiLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text[1..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Offset of the first surrogate that is not half of a pair, or -1 for valid UTF-16.</summary>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Bidirectional formatting characters: they make displayed text differ from its order in memory.</summary>
    public static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>
    /// Untrusted text made safe for an error message or log line: control and bidi characters
    /// and lone surrogates shown as <c>\uXXXX</c>, cut to <paramref name="maxLength"/>
    /// characters (never inside a surrogate pair) with an ellipsis.
    /// </summary>
    public static string ForDisplay(string text, int maxLength = 200)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        for (var i = 0; i < text.Length; i++)
        {
            if (builder.Length >= maxLength)
            {
                return builder.Append('…').ToString();
            }

            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsControl(c) || IsBidiControl(c) || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

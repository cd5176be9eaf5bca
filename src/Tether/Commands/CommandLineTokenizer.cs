using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Tether.Policy;

namespace Tether.Commands;

/// <summary>
/// Splits an admin command line into words with POSIX shell quoting rules and no expansion
/// of any kind (docs/protocol.md §4). Nothing here ever runs a shell.
/// </summary>
/// <remarks>
/// <para>Quoting: <c>'…'</c> is literal; inside <c>"…"</c> a backslash escapes only
/// <c>\" \\ \$ \`</c> and is kept otherwise; outside quotes a backslash makes the next
/// character literal. Quoted parts join the word around them (<c>a"b"'c'</c> is <c>abc</c>),
/// and <c>''</c> is an empty word. Spaces and tabs separate words.</para>
/// <para>Principle: a line is refused when <c>/bin/sh</c> would give it a meaning other than
/// our literal split, so the operator who typed it is never surprised by what runs. Hence,
/// outside quotes: the contract's operators and expansions <c>; &amp; | &lt; &gt; ( ) $ `</c>;
/// glob characters <c>* ? [</c>; braces <c>{ }</c> (bash brace expansion, sh grouping);
/// <c>#</c> starting a word (a comment); <c>~</c> starting a word or following <c>=</c> or
/// <c>:</c> (tilde expansion, bash also in assignment-like arguments); a first word that is
/// a variable assignment (<c>NAME=…</c>) or a reserved word (<c>if</c>, <c>!</c>, <c>time</c>, …).
/// Inside double quotes: <c>$</c> and <c>`</c> (sh expands them). Anywhere: unterminated
/// quotes, a trailing lone backslash, newline and every other control character except tab
/// (NUL, CR, ESC, DEL, C1), bidirectional formatting characters (they make the audit log show
/// a different command), lone surrogates, an empty command, more than <see cref="MaxLength"/>
/// characters or <see cref="MaxWords"/> words. Escaped or quoted, every character is literal,
/// exactly as in sh. Characters sh gives no meaning (<c>] ^ % , @ + - = :</c>, non-ASCII
/// letters, Unicode look-alikes of operators such as U+FF1B) stay literal; words are compared
/// ordinally, so a look-alike never matches an allowlist word.</para>
/// <para>Thread-safe: stateless.</para>
/// </remarks>
internal static class CommandLineTokenizer
{
    /// <summary>Longest accepted command line, in UTF-16 code units.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Most words accepted in one command line.</summary>
    public const int MaxWords = 4096;

    // sh and bash reserved words: as an unquoted first word they start a compound command
    // (or negate a pipeline) instead of naming a program.
    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in",
        "then", "until", "while", "[[", "]]", "function", "select", "time", "coproc",
    };

    /// <summary>
    /// Splits <paramref name="commandLine"/> into words, or explains why it is refused.
    /// Never throws for any string content.
    /// </summary>
    public static bool TryTokenize(
        string commandLine,
        [NotNullWhen(true)] out IReadOnlyList<string>? words,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        words = null;
        error = CheckCharacters(commandLine);
        if (error is not null)
        {
            return false;
        }

        var result = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quotedInWord = false;   // any quote or backslash so far in this word
        var previousUnquoted = '\0'; // last character taken unquoted in this word, '\0' if quoted
        var s = commandLine;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord && !TryFinishWord(result, word, quotedInWord, out error))
                    {
                        return false;
                    }

                    inWord = false;
                    quotedInWord = false;
                    previousUnquoted = '\0';
                    i++;
                    continue;

                case '\'':
                    {
                        var close = s.IndexOf('\'', i + 1);
                        if (close < 0)
                        {
                            error = $"unterminated single quote at offset {i}";
                            return false;
                        }

                        word.Append(s, i + 1, close - i - 1);
                        i = close + 1;
                        break;
                    }

                case '"':
                    if (!TryReadDoubleQuoted(s, ref i, word, out error))
                    {
                        return false;
                    }

                    break;

                case '\\':
                    if (i + 1 >= s.Length)
                    {
                        error = "trailing backslash escapes nothing";
                        return false;
                    }

                    word.Append(s[i + 1]);
                    i += 2;
                    break;

                case ';' or '&' or '|' or '<' or '>' or '(' or ')':
                    error = $"shell operator '{Operator(s, i)}' is not allowed";
                    return false;

                case '$':
                    error = i + 1 < s.Length && s[i + 1] is '(' or '{'
                        ? $"shell expansion '{s.Substring(i, 2)}' is not allowed"
                        : "shell expansion '$' is not allowed";
                    return false;

                case '`':
                    error = "command substitution '`' is not allowed";
                    return false;

                case '*' or '?' or '[':
                    error = $"unquoted glob character '{c}' is not allowed (quote it to mean it literally)";
                    return false;

                case '{' or '}':
                    error = $"unquoted brace '{c}' is not allowed (quote it to mean it literally)";
                    return false;

                case '#' when !inWord:
                    error = "'#' at the start of a word begins a shell comment (quote it to mean it literally)";
                    return false;

                case '~' when !inWord || previousUnquoted is '=' or ':':
                    error = "unquoted '~' here would be tilde expansion in a shell (quote it to mean it literally)";
                    return false;

                case '=' when result.Count == 0 && inWord && !quotedInWord && TextChecks.IsPosixName(word.ToString()):
                    error = $"'{word}=…' as the first word is a variable assignment in a shell, not a command";
                    return false;

                default:
                    word.Append(c);
                    previousUnquoted = c;
                    inWord = true;
                    i++;
                    continue;
            }

            // A quote or escape was consumed.
            inWord = true;
            quotedInWord = true;
            previousUnquoted = '\0';
        }

        if (inWord && !TryFinishWord(result, word, quotedInWord, out error))
        {
            return false;
        }

        if (result.Count == 0)
        {
            error = "empty command";
            return false;
        }

        words = result;
        return true;
    }

    /// <summary>
    /// Quotes one word so that <see cref="TryTokenize"/> (and /bin/sh) read it back as exactly
    /// that word, in any position; used to display commands in refusal reasons.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.AsSpan().IndexOfAnyExcept(PlainCharacters) < 0 && !ReservedWords.Contains(word))
        {
            return word;
        }

        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Words joined by spaces, each quoted with <see cref="Quote"/>.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    private static readonly SearchValues<char> PlainCharacters = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./,:@%+");

    private static string? CheckCharacters(string s)
    {
        if (s.Length > MaxLength)
        {
            return $"command is too long ({s.Length} characters, at most {MaxLength})";
        }

        var surrogate = TextChecks.IndexOfLoneSurrogate(s);
        if (surrogate >= 0)
        {
            return $"invalid UTF-16 (lone surrogate U+{(int)s[surrogate]:X4}) at offset {surrogate}";
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\n')
            {
                return $"newline at offset {i} is not allowed (a shell would start another command)";
            }

            if (char.IsControl(c) && c != '\t')
            {
                return $"control character U+{(int)c:X4} at offset {i} is not allowed";
            }

            if (TextChecks.IsBidiControl(c))
            {
                return $"bidirectional formatting character U+{(int)c:X4} at offset {i} is not allowed";
            }
        }

        return null;
    }

    private static bool TryReadDoubleQuoted(string s, ref int i, StringBuilder word, [NotNullWhen(false)] out string? error)
    {
        var open = i;
        i++;
        while (i < s.Length)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    i++;
                    error = null;
                    return true;
                case '\\' when i + 1 < s.Length && s[i + 1] is '"' or '\\' or '$' or '`':
                    word.Append(s[i + 1]);
                    i += 2;
                    break;
                case '$' or '`':
                    error = $"'{c}' inside double quotes would be expanded by a shell (use single quotes or '\\{c}')";
                    return false;
                default:
                    word.Append(c);
                    i++;
                    break;
            }
        }

        error = $"unterminated double quote at offset {open}";
        return false;
    }

    private static bool TryFinishWord(List<string> result, StringBuilder word, bool quoted, [NotNullWhen(false)] out string? error)
    {
        var text = word.ToString();
        word.Clear();
        if (result.Count == 0 && !quoted && ReservedWords.Contains(text))
        {
            error = $"'{text}' as the first word is a shell reserved word, not a command";
            return false;
        }

        if (result.Count == MaxWords)
        {
            error = $"too many words (at most {MaxWords})";
            return false;
        }

        result.Add(text);
        error = null;
        return true;
    }

    private static string Operator(string s, int i)
    {
        if (i + 1 < s.Length)
        {
            var pair = s.Substring(i, 2);
            if (pair is "&&" or "||" or ";;" or ">>" or "<<" or ">&" or "<&" or ">|" or "<>")
            {
                return pair;
            }
        }

        return s[i].ToString(CultureInfo.InvariantCulture);
    }
}

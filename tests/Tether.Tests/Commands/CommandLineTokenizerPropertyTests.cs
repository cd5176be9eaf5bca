using System.Diagnostics;
using System.Text;
using Tether.Commands;

namespace Tether.Tests.Commands;

/// <summary>
/// Random lines from a fixed seed: the tokenizer never throws, accepted lines round-trip
/// through <see cref="CommandLineTokenizer.Quote"/>, and real shells split accepted lines
/// into exactly the same words (so "no surprise for the operator" is checked, not assumed).
/// </summary>
public sealed class CommandLineTokenizerPropertyTests
{
    // Weighted toward quoting characters so that many lines are accepted, with every
    // character the tokenizer treats specially present.
    private static readonly string[] Hostile =
    [
        "a", "b", "z", "0", "-", " ", " ", "\t", "'", "'", "\"", "\"", "\\", "\\",
        "$", "`", ";", "&", "|", "<", ">", "(", ")", "*", "?", "[", "]", "{", "}", "~", "#", "=", ":",
        "!", "^", "%", ",", "@", "+", ".", "/", "é", "中", "𝄞", "\uFF1B", "\u00A0",
        "\n", "\r", "\0", "\u001b", "\u007f", "\u202E", "\ud800", "\udc00",
    ];

    private static readonly string[] Benign =
    [
        "a", "b", "x", "0", "9", "-", "_", ".", "/", ",", "@", "%", "+", "^", "]", "!", "=", ":",
        " ", " ", " ", "\t", "'", "'", "\"", "\"", "\\", "\\", "#", "~", "é", "中", "𝄞", "\uFF1B",
        "\u00A0", "if", "$a", "`a`", "{a,b}", "*", "?", "[ab]", "~", "a=", "x:",
    ];

    // Accepted lines whose quoting is easy to get wrong.
    private static readonly string[] Fixed =
    [
        "echo 'a b' \"c d\" e\\ f", "a\"b\"'c'", "'' \"\"", "'it'\\''s'", "\"a\\\"b\" \"a\\\\b\" \"\\$x\" \"\\`\"",
        "\"a\\nb\" \"\\'\"", "\\' \\\" \\\\ \\$ \\; \\* \\# \\~ \\{", "'$(id)' '`id`' '*' '~' '{a,b}' '#'",
        "a#b HEAD~1 x] ''~ \"\"# a:b=c", "find ! -name x", "\"if\" then", "\"A\"=b", "e\\cho x", "é 中文 𝄞 ；ｌｓ", "'tab\there' a\\\tb", "a\"=\"~",
    ];

    [Fact]
    public void RandomLines_NeverThrow_AndAcceptedOnesRoundTripThroughQuote()
    {
        var random = new Random(4242);
        var accepted = 0;
        for (var n = 0; n < 50_000; n++)
        {
            var line = RandomLine(random, n % 2 == 0 ? Hostile : Benign, random.Next(0, 24));

            if (!CommandLineTokenizer.TryTokenize(line, out var words, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
                continue;
            }

            accepted++;
            Assert.NotEmpty(words);
            var requoted = CommandLineTokenizer.Join(words);
            Assert.True(CommandLineTokenizer.TryTokenize(requoted, out var again, out var againError), $"{Show(line)} -> {Show(requoted)}: {againError}");
            Assert.Equal(words, again);
        }

        Assert.True(accepted > 3_000, $"only {accepted} lines accepted; the generator is too hostile to test round-trips");
    }

    [Fact]
    public void AcceptedLines_AreSplitIdenticallyByDashAndBash()
    {
        var random = new Random(1729);
        var lines = new List<(string Line, IReadOnlyList<string> Words)>();
        foreach (var line in Fixed)
        {
            Assert.True(CommandLineTokenizer.TryTokenize(line, out var words, out var error), error);
            lines.Add((line, words));
        }

        for (var n = 0; lines.Count < Fixed.Length + 5_000 && n < 400_000; n++)
        {
            var line = RandomLine(random, n % 4 == 0 ? Hostile : Benign, random.Next(1, 20));
            if (CommandLineTokenizer.TryTokenize(line, out var words, out _))
            {
                lines.Add((line, words));
            }
        }

        Assert.Equal(Fixed.Length + 5_000, lines.Count);
        foreach (var shell in new[] { "/bin/sh", "/bin/bash" })
        {
            if (!File.Exists(shell))
            {
                Assert.False(OperatingSystem.IsLinux(), $"{shell} is missing on Linux");
                continue;
            }

            var split = SplitWithShell(shell, lines.Select(l => l.Line));
            Assert.Equal(lines.Count, split.Count);
            for (var i = 0; i < lines.Count; i++)
            {
                Assert.True(lines[i].Words.SequenceEqual(split[i]), $"{shell} splits {Show(lines[i].Line)} as [{string.Join(", ", split[i].Select(Show))}]");
            }
        }
    }

    private static string RandomLine(Random random, string[] alphabet, int pieces)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    // Each accepted line becomes the arguments of a function that prints its argument count
    // and arguments, NUL-terminated. Accepted lines hold no operator or newline, so each stays
    // one simple command; if the tokenizer were wrong, the comparison fails. The directory
    // holds files named a, b and x and HOME is set, so a wrongly accepted glob or tilde
    // would expand and show up as a difference.
    private static List<string[]> SplitWithShell(string shell, IEnumerable<string> lines)
    {
        using var work = new TempDirectory("tether-tokenizer-");
        var script = new StringBuilder("p() { printf '%s\\0' \"$#\" \"$@\"; }\n");
        foreach (var line in lines)
        {
            script.Append("p ").Append(line).Append('\n');
        }

        foreach (var name in new[] { "a", "b", "x" })
        {
            File.WriteAllText(work.Join(name), "");
        }

        var scriptPath = work.Join("split.sh");
        File.WriteAllText(scriptPath, script.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var start = new ProcessStartInfo(shell)
        {
            WorkingDirectory = work.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(scriptPath);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["LC_ALL"] = "C.UTF-8";
        start.Environment["HOME"] = "/home/tether-test";

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{shell} exited {process.ExitCode}: {stderr.Result}");

        var fields = output.Split('\0');
        var result = new List<string[]>();
        var f = 0;
        while (f < fields.Length - 1)
        {
            var count = int.Parse(fields[f++], System.Globalization.CultureInfo.InvariantCulture);
            result.Add(fields[f..(f + count)]);
            f += count;
        }

        return result;
    }

    private static string Show(string s)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in s)
        {
            builder.Append(c is < ' ' or (>= '\u007f' and <= '\u00a0') or '"' or '\\' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.Append('"').ToString();
    }
}

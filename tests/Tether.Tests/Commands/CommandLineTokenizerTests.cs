using Tether.Commands;

namespace Tether.Tests.Commands;

public sealed class CommandLineTokenizerTests
{
    [Theory]
    [InlineData("ls", new[] { "ls" })]
    [InlineData("  ls   -la  ", new[] { "ls", "-la" })]
    [InlineData("ls\t-la\t\t/tmp", new[] { "ls", "-la", "/tmp" })]
    [InlineData("echo ''", new[] { "echo", "" })]
    [InlineData("echo \"\" x", new[] { "echo", "", "x" })]
    [InlineData("echo a\"b\"'c'", new[] { "echo", "abc" })]
    [InlineData("echo 'a b' \"c d\" e\\ f", new[] { "echo", "a b", "c d", "e f" })]
    [InlineData("echo 'it'\\''s'", new[] { "echo", "it's" })]
    [InlineData("echo 'a\\b' 'x\"y'", new[] { "echo", "a\\b", "x\"y" })]
    [InlineData("echo \"a\\\"b\" \"a\\\\b\" \"\\$x\" \"\\`\"", new[] { "echo", "a\"b", "a\\b", "$x", "`" })]
    [InlineData("echo \"a\\nb\" \"\\'\"", new[] { "echo", "a\\nb", "\\'" })]
    [InlineData("echo \\' \\\" \\\\ \\$ \\; \\* \\#", new[] { "echo", "'", "\"", "\\", "$", ";", "*", "#" })]
    [InlineData("echo '$(id)' '`id`' ';' '*' '~' '{a,b}' '#'", new[] { "echo", "$(id)", "`id`", ";", "*", "~", "{a,b}", "#" })]
    [InlineData("echo a#b HEAD~1 x] ''~ \"\"# a:b=c", new[] { "echo", "a#b", "HEAD~1", "x]", "~", "#", "a:b=c" })]
    [InlineData("find . ! -name x", new[] { "find", ".", "!", "-name", "x" })]
    [InlineData("\"if\" then", new[] { "if", "then" })]
    [InlineData("\"A\"=b c", new[] { "A=b", "c" })]
    [InlineData("1A=b", new[] { "1A=b" })]
    [InlineData("env A=b", new[] { "env", "A=b" })]
    [InlineData("ec\"ho\" hi", new[] { "echo", "hi" })]
    [InlineData("echo é 中文 𝄞 ；ｌｓ", new[] { "echo", "é", "中文", "𝄞", "；ｌｓ" })]
    [InlineData("echo 'tab\there'", new[] { "echo", "tab\there" })]
    public void TryTokenize_SplitsWithPosixQuoting(string line, string[] expected)
    {
        Assert.True(CommandLineTokenizer.TryTokenize(line, out var words, out var error), error);
        Assert.Equal(expected, words);
    }

    [Theory]
    [InlineData("", "empty command")]
    [InlineData(" \t ", "empty command")]
    [InlineData("echo 'open", "unterminated single quote at offset 5")]
    [InlineData("echo \"open", "unterminated double quote at offset 5")]
    [InlineData("echo \"a\\\"", "unterminated double quote")]
    [InlineData("echo x\\", "trailing backslash")]
    [InlineData("a;b", "shell operator ';'")]
    [InlineData("a && b", "shell operator '&&'")]
    [InlineData("a || b", "shell operator '||'")]
    [InlineData("a >> b", "shell operator '>>'")]
    [InlineData("a << b", "shell operator '<<'")]
    [InlineData("a 2>&1", "shell operator '>&'")]
    [InlineData("echo $(id)", "shell expansion '$('")]
    [InlineData("echo ${IFS}", "shell expansion '${'")]
    [InlineData("echo $IFS", "shell expansion '$'")]
    [InlineData("echo `id`", "command substitution '`'")]
    [InlineData("echo \"$x\"", "'$' inside double quotes")]
    [InlineData("echo \"`id`\"", "'`' inside double quotes")]
    [InlineData("echo *", "unquoted glob character '*'")]
    [InlineData("echo a?", "unquoted glob character '?'")]
    [InlineData("echo [ab]", "unquoted glob character '['")]
    [InlineData("echo {a,b}", "unquoted brace '{'")]
    [InlineData("echo a}", "unquoted brace '}'")]
    [InlineData("echo #x", "shell comment")]
    [InlineData("echo ~", "tilde expansion")]
    [InlineData("echo ~root/x", "tilde expansion")]
    [InlineData("echo a=~", "tilde expansion")]
    [InlineData("echo PATH=/x:~/bin", "tilde expansion")]
    [InlineData("FOO=bar echo", "variable assignment")]
    [InlineData("_X= echo", "variable assignment")]
    [InlineData("! echo", "reserved word")]
    [InlineData("if", "reserved word")]
    [InlineData("time ls", "reserved word")]
    [InlineData("echo a\nb", "newline at offset 6")]
    [InlineData("echo a\rb", "control character U+000D at offset 6")]
    [InlineData("echo \0", "control character U+0000")]
    [InlineData("echo \u001b[2J", "control character U+001B")]
    [InlineData("echo \u007f", "control character U+007F")]
    [InlineData("echo \u0085", "control character U+0085")]
    [InlineData("echo 'a\u000bb'", "control character U+000B")]
    [InlineData("echo \u202Eevil", "bidirectional formatting character U+202E")]
    public void TryTokenize_RefusesWithReason(string line, string reasonFragment)
    {
        Assert.False(CommandLineTokenizer.TryTokenize(line, out var words, out var error));
        Assert.Null(words);
        Assert.Contains(reasonFragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTokenize_LoneSurrogates_AreRefused()
    {
        Assert.False(CommandLineTokenizer.TryTokenize("echo \ud800x", out _, out var high));
        Assert.Contains("lone surrogate U+D800", high, StringComparison.Ordinal);
        Assert.False(CommandLineTokenizer.TryTokenize("echo x\udc00", out _, out var low));
        Assert.Contains("lone surrogate U+DC00", low, StringComparison.Ordinal);
        Assert.False(CommandLineTokenizer.TryTokenize("echo \ud800", out _, out _));
    }

    [Fact]
    public void TryTokenize_AtTheLengthCap_AcceptsAndBeyondRefuses()
    {
        var atCap = "echo " + new string('a', CommandLineTokenizer.MaxLength - 5);
        Assert.True(CommandLineTokenizer.TryTokenize(atCap, out _, out _));
        Assert.False(CommandLineTokenizer.TryTokenize(atCap + "a", out _, out var error));
        Assert.Contains("too long", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTokenize_AtTheWordCap_AcceptsAndBeyondRefuses()
    {
        var atCap = string.Join(' ', Enumerable.Repeat("a", CommandLineTokenizer.MaxWords));
        Assert.True(CommandLineTokenizer.TryTokenize(atCap, out var words, out _));
        Assert.Equal(CommandLineTokenizer.MaxWords, words.Count);
        Assert.False(CommandLineTokenizer.TryTokenize(atCap + " a", out _, out var error));
        Assert.Contains("too many words", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ls", "ls")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("-la", "-la")]
    [InlineData("a=b", "'a=b'")]
    [InlineData("if", "'if'")]
    public void Quote_ProducesShellReadableWord(string word, string expected)
    {
        Assert.Equal(expected, CommandLineTokenizer.Quote(word));
    }
}

using Tether.Commands;

namespace Tether.Tests.Commands;

/// <summary>Hostile command lines against the allowlist ["echo", "ls -la"]: each is refused,
/// for the stated reason, unless listed as deliberately allowed with its exact argv.</summary>
public sealed class CommandPolicyInjectionTests
{
    private static readonly CommandPolicy Policy = Create("echo", "ls -la");

    private const string NotInList = "is not in admin.allowedCommands";

    public static TheoryData<string, string> RefusedLines => new()
    {
        // Chaining and pipes.
        { "ls -la; id", "shell operator ';'" },
        { "echo hi;id", "shell operator ';'" },
        { "echo hi ;; id", "shell operator ';;'" },
        { "echo hi && id", "shell operator '&&'" },
        { "echo hi || id", "shell operator '||'" },
        { "echo hi | sh", "shell operator '|'" },
        { "echo hi |& cat", "shell operator '|'" },
        { "echo hi & id", "shell operator '&'" },
        { "echo hi &", "shell operator '&'" },
        { "(echo hi)", "shell operator '('" },
        { "echo hi)", "shell operator ')'" },
        // Substitution and expansion.
        { "echo `id`", "command substitution" },
        { "echo hi `", "command substitution" },
        { "echo $(id)", "shell expansion '$('" },
        { "echo \\$(id)", "shell operator '('" },
        { "echo ${IFS}id", "shell expansion '${'" },
        { "ls${IFS}-la", "shell expansion '${'" },
        { "echo$IFS" + "id", "shell expansion '$'" },
        { "echo $IFS", "shell expansion '$'" },
        { "echo $HOME", "shell expansion '$'" },
        { "echo ${IFS%?}", "shell expansion '${'" },
        { "echo $((1+1))", "shell expansion '$('" },
        { "echo $'\\x3bid'", "shell expansion '$'" },
        { "echo \"$(id)\"", "'$' inside double quotes" },
        { "echo \"${HOME}\"", "'$' inside double quotes" },
        { "echo \"`id`\"", "'`' inside double quotes" },
        { "echo <(id)", "shell operator '<'" },
        { "echo >(id)", "shell operator '>'" },
        // Redirection.
        { "echo hi > /etc/passwd", "shell operator '>'" },
        { "echo key >> /root/.ssh/authorized_keys", "shell operator '>>'" },
        { "ls -la < /etc/shadow", "shell operator '<'" },
        { "ls -la 2>&1", "shell operator '>&'" },
        { "echo hi 1>&2", "shell operator '>&'" },
        { "echo hi >| x", "shell operator '>|'" },
        { "echo <<EOF", "shell operator '<<'" },
        { "echo <> x", "shell operator '<>'" },
        // Line breaks and control characters.
        { "echo hi\nid", "newline" },
        { "echo hi\r\nid", "control character U+000D" },
        { "echo hi\rid", "control character U+000D" },
        { "echo a\\\nb", "newline" },
        { "echo hi\0id", "control character U+0000" },
        { "echo \u001b[31mred", "control character U+001B" },
        { "echo \u007f", "control character U+007F" },
        { "echo \u0085", "control character U+0085" },
        { "echo\tx\vy", "control character U+000B" },
        { "echo \f", "control character U+000C" },
        { "echo \u202Eoi", "bidirectional formatting character" },
        { "echo \ud800", "lone surrogate" },
        // Broken quoting.
        { "echo 'unterminated", "unterminated single quote" },
        { "echo \"unterminated", "unterminated double quote" },
        { "echo 'a'\"b", "unterminated double quote" },
        { "echo hi\\", "trailing backslash" },
        // Globs, tilde, braces, comments.
        { "echo *", "glob character '*'" },
        { "ls -la [a-z]*", "glob character '['" },
        { "ls -la ?", "glob character '?'" },
        { "ls -la ~/x", "tilde expansion" },
        { "echo a=~", "tilde expansion" },
        { "echo PATH=/x:~/bin", "tilde expansion" },
        { "echo {a,b}", "unquoted brace '{'" },
        { "{ echo hi; }", "unquoted brace '{'" },
        { "echo hi #comment", "shell comment" },
        // sh would not run the first word as a program.
        { "FOO=bar echo hi", "variable assignment" },
        { "LD_PRELOAD=/tmp/x.so echo", "variable assignment" },
        { "! echo hi", "reserved word" },
        { "time echo", "reserved word" },
        { "if echo; then id; fi", "reserved word" },
        // Tokenizes, but the allowlist compares exact words.
        { "lsblk", NotInList },
        { "ls", NotInList },
        { "ls -l", NotInList },
        { "ls -al", NotInList },
        { "ls -la;id", "shell operator ';'" },
        { "/bin/echo hi", NotInList },
        { "./echo hi", NotInList },
        { "ECHO hi", NotInList },
        { "echo\u200Bhi", NotInList },
        { "ｌｓ -la", NotInList },
        { "ls -ｌａ", NotInList },
        { "ls\u2024-la", NotInList },
        { "ls\u00A0-la", NotInList },
        { "ls -la\uFF1Bid", NotInList },
        { "sh -c 'echo hi'", NotInList },
        { "bash -c id", NotInList },
        { "eval echo", NotInList },
        { "exec echo", NotInList },
        { "'ls -la'", NotInList },
        // Empty.
        { "", "empty command" },
        { "   ", "empty command" },
    };

    public static TheoryData<string, string[]> DeliberatelyAllowedLines => new()
    {
        // Quoted or escaped, these characters are literal for sh too, so nothing differs.
        { "echo 'a b' \"c d\" e\\ f", new[] { "echo", "a b", "c d", "e f" } },
        { "ec\"ho\" hi", new[] { "echo", "hi" } },
        { "\"\"echo", new[] { "echo" } },
        { "e\\cho x", new[] { "echo", "x" } },
        { "echo '$(id)' '`id`' '${IFS}'", new[] { "echo", "$(id)", "`id`", "${IFS}" } },
        { "echo hi\\;id", new[] { "echo", "hi;id" } },
        { "echo '#' '*' '~' '{a,b}'", new[] { "echo", "#", "*", "~", "{a,b}" } },
        { "echo \"\\$(id)\"", new[] { "echo", "$(id)" } },
        // Look-alikes are plain characters: no shell runs, and they only reach a program as data.
        { "echo hi\uFF1Bid", new[] { "echo", "hi\uFF1Bid" } },
        { "echo ｌｓ", new[] { "echo", "ｌｓ" } },
        // Word-prefix: arguments after an entry's words are the entry's business.
        { "ls -la -R /", new[] { "ls", "-la", "-R", "/" } },
        { "echo", new[] { "echo" } },
        { "echo -n ''", new[] { "echo", "-n", "" } },
    };

    [Theory]
    [MemberData(nameof(RefusedLines), DisableDiscoveryEnumeration = true)]
    public void Evaluate_HostileLine_IsRefusedAndNothingRuns(string line, string reasonFragment)
    {
        var decision = Policy.Evaluate(line);

        Assert.Equal(CommandDecisionKind.Refused, decision.Kind);
        Assert.Empty(decision.Argv);
        Assert.StartsWith("refused", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(reasonFragment, decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DeliberatelyAllowedLines), DisableDiscoveryEnumeration = true)]
    public void Evaluate_QuotedOrLiteralLine_RunsExactArgv(string line, string[] argv)
    {
        var decision = Policy.Evaluate(line);

        Assert.Equal(CommandDecisionKind.Run, decision.Kind);
        Assert.Equal(argv, decision.Argv);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void Evaluate_OneMegabyteLine_IsRefusedAsTooLong()
    {
        var line = "echo " + new string('a', 1024 * 1024);

        var decision = Policy.Evaluate(line);

        Assert.Equal(CommandDecisionKind.Refused, decision.Kind);
        Assert.Contains("too long", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OneMegabyteLineOfOperators_IsRefused()
    {
        var line = "echo " + string.Concat(Enumerable.Repeat(";id", 350_000));

        Assert.Equal(CommandDecisionKind.Refused, Policy.Evaluate(line).Kind);
    }

    [Fact]
    public void Corpus_HasAtLeastSixtyRefusedLines()
    {
        Assert.True(RefusedLines.Count >= 60, $"{RefusedLines.Count} lines");
    }

    private static CommandPolicy Create(params string[] entries)
    {
        Assert.True(CommandPolicy.TryCreate(entries, out var policy, out var error), error);
        return policy;
    }
}

using Tether.Commands;

namespace Tether.Tests.Commands;

public sealed class CommandPolicyTests
{
    [Fact]
    public void EmptyList_AllowsNothing()
    {
        var policy = Create();

        Assert.True(policy.AllowsNothing);
        Assert.False(policy.AllowsEverything);
        var decision = policy.Evaluate("true");
        Assert.Equal(CommandDecisionKind.Refused, decision.Kind);
        Assert.Equal("refused by policy: admin.allowedCommands is empty, so no command may run", decision.Reason);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("echo YQ== | base64 -d | crontab -").Kind);
    }

    [Fact]
    public void Entry_AllowsCommandsItIsAWordPrefixOf()
    {
        var policy = Create("systemctl status", "ls");

        Assert.Equal(["systemctl", "status", "nginx"], policy.Evaluate("systemctl status nginx").Argv);
        Assert.Equal(CommandDecisionKind.Run, policy.Evaluate("systemctl  status").Kind);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("systemctl stop nginx").Kind);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("systemctl").Kind);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("systemctl statusx nginx").Kind);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("lsblk").Kind);
        Assert.Equal(CommandDecisionKind.Run, policy.Evaluate("ls /tmp").Kind);
    }

    [Fact]
    public void ExactEntry_AdmitsOnlyThatCommandLine_NotTrailingArguments()
    {
        var policy = Create("tar -czf /backup/etc.tgz /etc $", "systemctl status\t$  ", "crontab - $");

        Assert.Equal(["tar", "-czf", "/backup/etc.tgz", "/etc"], policy.Evaluate("tar  -czf '/backup/etc.tgz' /etc").Argv);
        var attack = policy.Evaluate("tar -czf /backup/etc.tgz /etc --checkpoint=1 --checkpoint-action=exec=sh");
        Assert.Equal(CommandDecisionKind.Refused, attack.Kind);
        Assert.Contains("is not in admin.allowedCommands", attack.Reason, StringComparison.Ordinal);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("tar -czf /backup/etc.tgz").Kind);
        Assert.Equal(CommandDecisionKind.Run, policy.Evaluate("systemctl status").Kind);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("systemctl status nginx").Kind);
        Assert.True(policy.AllowsCrontabInstall);
        Assert.Empty(policy.Warnings);
    }

    [Theory]
    [InlineData("echo a$")]
    [InlineData(" $")]
    [InlineData("$")]
    public void EntryWithAMisplacedDollar_IsAConfigurationError(string entry)
    {
        Assert.False(CommandPolicy.TryCreate([entry], out _, out var error));
        Assert.StartsWith("admin.allowedCommands[0]", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tar -czf /backup/etc.tgz /etc", "tar")]
    [InlineData("/usr/bin/find /var/log -name", "find")]
    [InlineData("rsync -a", "rsync")]
    [InlineData("python3.11 /opt/report.py", "python3.11")]
    [InlineData("git -C /srv/app pull", "git")]
    [InlineData("sed -n", "sed")]
    [InlineData("env", "env")]
    public void PrefixEntryForAProgramThatRunsItsArguments_IsAWarning(string entry, string program)
    {
        var policy = Create(entry, "uptime", "systemctl status");

        var warning = Assert.Single(policy.Warnings);
        Assert.StartsWith($"admin.allowedCommands[0] \"{entry}\" admits any further arguments, and {program} can run commands", warning, StringComparison.Ordinal);
        Assert.EndsWith("end the entry with \" $\" to admit only that exact command line", warning, StringComparison.Ordinal);
        Assert.Empty(Create(entry + " $").Warnings);
    }

    [Fact]
    public void Entry_WithQuotedWords_ComparesTheWordsNotTheSpelling()
    {
        var policy = Create("grep 'a b'");

        Assert.Equal(["grep", "a b", "f"], policy.Evaluate("grep \"a b\" f").Argv);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("grep a b f").Kind);
    }

    [Fact]
    public void Refusal_NamesTheCommandAndThePolicy()
    {
        var policy = Create("ls -la");

        Assert.Equal("refused by policy: 'lsblk' is not in admin.allowedCommands", policy.Evaluate("lsblk").Reason);
        Assert.Equal("refused by policy: 'rm -rf /' is not in admin.allowedCommands", policy.Evaluate("rm -rf /").Reason);
        Assert.Equal("refused by policy: 'echo 'a b'' is not in admin.allowedCommands", policy.Evaluate("echo 'a b'").Reason);
        Assert.Equal(
            "refused: shell operator ';' is not allowed (commands never run through a shell)",
            policy.Evaluate("ls -la; id").Reason);
    }

    [Fact]
    public void Refusal_OfALongCommand_IsShortened()
    {
        var policy = Create("ls");

        var reason = policy.Evaluate("echo " + new string('x', 5000)).Reason;

        Assert.NotNull(reason);
        Assert.True(reason.Length < 300, reason);
        Assert.Contains("…' is not in admin.allowedCommands", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData(" * ")]
    [InlineData("\t*")]
    public void Wildcard_AllowsEveryCommandButStillNoShell(string entry)
    {
        var policy = Create(entry);

        Assert.True(policy.AllowsEverything);
        Assert.False(policy.AllowsNothing);
        Assert.True(policy.AllowsCrontabInstall);
        Assert.Equal(["rm", "-rf", "/tmp/x"], policy.Evaluate("rm -rf /tmp/x").Argv);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("ls; id").Kind);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("echo $(id)").Kind);
        Assert.Equal(CommandDecisionKind.Refused, policy.Evaluate("").Kind);
    }

    [Fact]
    public void Wildcard_BesideOtherEntries_IsAConfigError()
    {
        Assert.False(CommandPolicy.TryCreate(["ls", "*"], out var policy, out var error));
        Assert.Null(policy);
        Assert.Contains("must be the only entry", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ls;id", "admin.allowedCommands[1] \"ls;id\" is not a valid command: shell operator ';' is not allowed")]
    [InlineData("", "admin.allowedCommands[1] \"\" is not a valid command: empty command")]
    [InlineData("  ", "admin.allowedCommands[1] \"  \" is not a valid command: empty command")]
    [InlineData("ls *", "unquoted glob character '*'")]
    [InlineData("echo 'x", "unterminated single quote")]
    [InlineData("PATH=/tmp ls", "variable assignment")]
    [InlineData("ls\nid", "admin.allowedCommands[1] \"ls\\u000Aid\" is not a valid command: newline at offset 2")]
    public void InvalidEntry_IsAConfigErrorNamingTheEntry(string entry, string expected)
    {
        Assert.False(CommandPolicy.TryCreate(["echo", entry], out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Admits_ComparesOrdinally()
    {
        var policy = Create("ls");

        Assert.True(policy.Admits(["ls"]));
        Assert.False(policy.Admits(["LS"]));
        Assert.False(policy.Admits(["ｌｓ"]));
        Assert.False(policy.Admits(["ls\u0301"]));
        Assert.False(policy.Admits([]));
    }

    [Theory]
    [InlineData("crontab", true)]
    [InlineData("crontab -", true)]
    [InlineData("crontab -l", false)]
    [InlineData("echo", false)]
    public void AllowsCrontabInstall_FollowsTheAllowlist(string entry, bool expected)
    {
        Assert.Equal(expected, Create(entry).AllowsCrontabInstall);
    }

    private static CommandPolicy Create(params string[] entries)
    {
        Assert.True(CommandPolicy.TryCreate(entries, out var policy, out var error), error);
        return policy;
    }
}

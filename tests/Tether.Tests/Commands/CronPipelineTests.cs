using System.Text;
using Tether.Commands;

namespace Tether.Tests.Commands;

public sealed class CronPipelineTests
{
    [Theory]
    [InlineData("echo YQ== | base64 -d | crontab -", "YQ==")]
    [InlineData("echo 'YQ==' | base64 -d | crontab -", "YQ==")]
    [InlineData("echo \"YQ==\" | base64 -d | crontab -", "YQ==")]
    [InlineData("echo YQ==|base64 -d|crontab -", "YQ==")]
    [InlineData("  echo\tYQ==\t|\tbase64\t-d |  crontab   -  ", "YQ==")]
    [InlineData("echo YQ== | base64 --decode | crontab -", "YQ==")]
    [InlineData("echo '' | base64 -d | crontab -", "")]
    [InlineData("echo \"\" | base64 -d | crontab -", "")]
    [InlineData("echo 'not base64!' | base64 -d | crontab -", "not base64!")]
    [InlineData("echo 'a;b' | base64 -d | crontab -", "a;b")]
    public void TryMatch_ThePipeline_ReturnsThePayload(string line, string payload)
    {
        Assert.True(CronPipeline.TryMatch(line, out var base64));
        Assert.Equal(payload, base64);
    }

    [Theory]
    [InlineData("echo x | base64 -d | crontab - ; id")]
    [InlineData("echo x | base64 -d | crontab -;id")]
    [InlineData("echo x | base64 -d | crontab - && id")]
    [InlineData("echo x | base64 -d | crontab -\n")]
    [InlineData("id; echo x | base64 -d | crontab -")]
    [InlineData("echo x | base64 -d | crontab")]
    [InlineData("echo x | base64 -d | crontab -l")]
    [InlineData("echo x | base64 -d | crontab -u root -")]
    [InlineData("echo x | base64 -d | crontab - -")]
    [InlineData("echo x | base64 -d | sh")]
    [InlineData("echo x | base64 -D | crontab -")]
    [InlineData("echo x | base64 | crontab -")]
    [InlineData("echo x | base64 -d -i | crontab -")]
    [InlineData("echo x | base64 -d")]
    [InlineData("echo x y | base64 -d | crontab -")]
    [InlineData("echo -n x | base64 -d | crontab -")]
    [InlineData("echo -e | base64 -d | crontab -")]
    [InlineData("echo | base64 -d | crontab -")]
    [InlineData("echo 'x'y | base64 -d | crontab -")]
    [InlineData("echo 'x | base64 -d | crontab -")]
    [InlineData("echo \"$(id)\" | base64 -d | crontab -")]
    [InlineData("echo \"`id`\" | base64 -d | crontab -")]
    [InlineData("echo \"a\\\"b\" | base64 -d | crontab -")]
    [InlineData("echo $(id) | base64 -d | crontab -")]
    [InlineData("echo x* | base64 -d | crontab -")]
    [InlineData("echox | base64 -d | crontab -")]
    [InlineData("/bin/echo x | base64 -d | crontab -")]
    [InlineData("echo x || base64 -d | crontab -")]
    [InlineData("echo x | base64 -d | crontab -\r")]
    [InlineData("")]
    [InlineData("crontab -l")]
    public void TryMatch_AnythingElse_IsNotThePipeline(string line)
    {
        Assert.False(CronPipeline.TryMatch(line, out var base64));
        Assert.Null(base64);
    }

    [Fact]
    public void TryMatch_BeyondTheLengthCap_IsNotThePipeline()
    {
        var payload = new string('A', CronPipeline.MaxLength);

        Assert.False(CronPipeline.TryMatch($"echo {payload} | base64 -d | crontab -", out _));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("YQ==", "a")]
    [InlineData("YWI=", "ab")]
    [InlineData("YWJj", "abc")]
    [InlineData("KiAqICogKiAqIC9iaW4vdHJ1ZQo=", "* * * * * /bin/true\n")]
    public void TryDecodeBase64_Valid_ReturnsBytes(string text, string expected)
    {
        Assert.True(CronPipeline.TryDecodeBase64(text, out var bytes, out var error), error);
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void TryDecodeBase64_MatchesTheRuntimeOnRandomBytes()
    {
        var random = new Random(20261129);
        for (var n = 0; n < 300; n++)
        {
            var data = new byte[random.Next(0, 100)];
            random.NextBytes(data);

            Assert.True(CronPipeline.TryDecodeBase64(Convert.ToBase64String(data), out var bytes, out var error), error);
            Assert.Equal(data, bytes);
        }
    }

    [Theory]
    [InlineData("YQ", "not a multiple of 4")]
    [InlineData("YQ=", "not a multiple of 4")]
    [InlineData("Y Q==", "not a multiple of 4")]
    [InlineData("YQ==\n", "not a multiple of 4")]
    [InlineData("YW J", "character U+0020")]
    [InlineData("YWJ\n", "character U+000A")]
    [InlineData("YR==", "non-zero bits")]
    [InlineData("YWJ=", "non-zero bits")]
    [InlineData("Y===", "'=' at offset 1")]
    [InlineData("====", "'=' at offset 0")]
    [InlineData("=YQ=", "'=' at offset 0")]
    [InlineData("YQ==YQ==", "'=' at offset 2")]
    [InlineData("YW=j", "'=' at offset 2")]
    [InlineData("-_8=", "character U+002D")]
    [InlineData("YWJé", "character U+00E9")]
    public void TryDecodeBase64_Invalid_ReturnsError(string text, string fragment)
    {
        Assert.False(CronPipeline.TryDecodeBase64(text, out var bytes, out var error));
        Assert.Null(bytes);
        Assert.StartsWith("invalid base64", error, StringComparison.Ordinal);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ThePipelineWithCrontabAllowed_InstallsTheDecodedBytes()
    {
        var policy = Create("crontab");

        var decision = policy.Evaluate("echo 'KiAqICogKiAqIC9iaW4vdHJ1ZQo=' | base64 -d | crontab -");

        Assert.Equal(CommandDecisionKind.InstallCrontab, decision.Kind);
        Assert.Equal(["crontab", "-"], decision.Argv);
        Assert.Equal("* * * * * /bin/true\n", Encoding.UTF8.GetString(decision.Stdin.Span));
    }

    [Fact]
    public void Evaluate_ThePipelineWithInvalidBase64_FailsWithoutTouchingCrontab()
    {
        var decision = Create("crontab -").Evaluate("echo 'YQ' | base64 -d | crontab -");

        Assert.Equal(CommandDecisionKind.InvalidCrontab, decision.Kind);
        Assert.Empty(decision.Argv);
        Assert.Equal("invalid base64: length 2 is not a multiple of 4; crontab left unchanged", decision.Reason);
    }

    [Theory]
    [InlineData("echo", "ls -la")]
    [InlineData("crontab -l")]
    [InlineData("base64")]
    public void Evaluate_ThePipelineWithoutCrontabInTheList_IsRefused(params string[] entries)
    {
        var decision = Create(entries).Evaluate("echo YQ== | base64 -d | crontab -");

        Assert.Equal(CommandDecisionKind.Refused, decision.Kind);
        Assert.Equal("refused by policy: 'crontab -' is not in admin.allowedCommands (needed by the crontab update)", decision.Reason);
    }

    [Theory]
    [InlineData("echo x | base64 -d | crontab - ; id", "shell operator '|'")]
    [InlineData("echo YQ== | base64 -d | crontab -l", "shell operator '|'")]
    [InlineData("echo \"$(id)\" | base64 -d | crontab -", "'$' inside double quotes")]
    public void Evaluate_ALookAlikeOfThePipeline_IsRefusedAsAShellLine(string line, string fragment)
    {
        var decision = Create("crontab", "echo").Evaluate(line);

        Assert.Equal(CommandDecisionKind.Refused, decision.Kind);
        Assert.Contains(fragment, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CrontabList_IsAnOrdinaryCommand()
    {
        var decision = Create("crontab -l").Evaluate("crontab -l");

        Assert.Equal(CommandDecisionKind.Run, decision.Kind);
        Assert.Equal(["crontab", "-l"], decision.Argv);
    }

    private static CommandPolicy Create(params string[] entries)
    {
        Assert.True(CommandPolicy.TryCreate(entries, out var policy, out var error), error);
        return policy;
    }
}

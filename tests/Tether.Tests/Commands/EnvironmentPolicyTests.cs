using Tether.Commands;

namespace Tether.Tests.Commands;

public sealed class EnvironmentPolicyTests
{
    private static readonly Dictionary<string, string> Agent = new(StringComparer.Ordinal)
    {
        ["PATH"] = ".:/home/agent/bin:/usr/bin",
        ["HOME"] = "/home/agent",
        ["LANG"] = "en_US.UTF-8",
        ["AUTH_TOKEN"] = "secret",
        ["LD_PRELOAD"] = "/agent/preload.so",
    };

    [Fact]
    public void TryBuild_WithoutRequestEntries_IsTheMinimalEnvironment()
    {
        Assert.True(EnvironmentPolicy.TryBuild(null, AgentVariable, Allowed, out var environment, out var error), error);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PATH"] = EnvironmentPolicy.DefaultPath,
                ["HOME"] = "/home/agent",
                ["LANG"] = "en_US.UTF-8",
            },
            environment);
    }

    [Fact]
    public void TryBuild_CopiesTzWhenTheAgentHasIt()
    {
        Assert.True(EnvironmentPolicy.TryBuild([], name => name == "TZ" ? "Europe/Paris" : null, Allowed, out var environment, out _));

        Assert.Equal("Europe/Paris", environment["TZ"]);
        Assert.False(environment.ContainsKey("HOME"));
        Assert.Equal(EnvironmentPolicy.DefaultPath, environment["PATH"]);
    }

    [Fact]
    public void TryBuild_AddsRequestEntriesAndLetsThemOverrideLangAndTz()
    {
        KeyValuePair<string, string>[] requested = [new("LANG", "C"), new("TZ", "UTC"), new("APP_MODE", "x y\nz"), new("_", "")];

        Assert.True(EnvironmentPolicy.TryBuild(requested, AgentVariable, Allowed, out var environment, out var error), error);

        Assert.Equal("C", environment["LANG"]);
        Assert.Equal("UTC", environment["TZ"]);
        Assert.Equal("x y\nz", environment["APP_MODE"]);
        Assert.Equal("", environment["_"]);
        Assert.Equal(6, environment.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1A")]
    [InlineData("A-B")]
    [InlineData("A=B")]
    [InlineData("A B")]
    [InlineData("é")]
    [InlineData("A\0")]
    [InlineData("ＰＡＴＨ")]
    public void TryBuild_InvalidName_IsRefused(string name)
    {
        Assert.False(EnvironmentPolicy.TryBuild([new(name, "v")], AgentVariable, Allowed, out var environment, out var error));
        Assert.Null(environment);
        Assert.Contains("must match [A-Za-z_][A-Za-z0-9_]*", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', error);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("LD_PRELOAD")]
    [InlineData("ld_preload")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("DYLD_INSERT_LIBRARIES")]
    [InlineData("BASH_ENV")]
    [InlineData("ENV")]
    [InlineData("IFS")]
    [InlineData("GIT_SSH_COMMAND")]
    [InlineData("PYTHONSTARTUP")]
    [InlineData("PERL5OPT")]
    [InlineData("NODE_OPTIONS")]
    [InlineData("LESSOPEN")]
    [InlineData("GCONV_PATH")]
    public void TryBuild_NameThatChangesWhatRuns_IsRefusedWithoutShowingTheValue(string name)
    {
        Assert.False(EnvironmentPolicy.TryBuild([new(name, "hunter2")], AgentVariable, Allowed, out _, out var error));
        Assert.Contains(name, error, StringComparison.Ordinal);
        Assert.Contains("may not be set", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuild_ValueWithNul_IsRefused()
    {
        Assert.False(EnvironmentPolicy.TryBuild([new("A", "x\0y")], AgentVariable, Allowed, out _, out var error));
        Assert.Equal("env: the value of A contains NUL", error);
    }

    [Fact]
    public void TryBuild_ValueWithLoneSurrogate_IsRefused()
    {
        Assert.False(EnvironmentPolicy.TryBuild([new("A", "x\ud800")], AgentVariable, Allowed, out _, out var error));
        Assert.Equal("env: the value of A is not valid UTF-16", error);
    }

    [Fact]
    public void TryBuild_DuplicateName_IsRefused()
    {
        Assert.False(EnvironmentPolicy.TryBuild([new("A", "1"), new("A", "2")], AgentVariable, Allowed, out _, out var error));
        Assert.Equal("env: A is given twice", error);
    }

    [Fact]
    public void TryBuild_TooManyOrTooLong_IsRefused()
    {
        var many = Enumerable.Range(0, EnvironmentPolicy.MaxEntries + 1).Select(i => new KeyValuePair<string, string>($"V{i}", "x"));
        Assert.False(EnvironmentPolicy.TryBuild(many, AgentVariable, Allowed, out _, out var manyError));
        Assert.Contains("too many entries", manyError, StringComparison.Ordinal);

        Assert.False(EnvironmentPolicy.TryBuild(
            [new("A", new string('x', EnvironmentPolicy.MaxValueLength + 1))], AgentVariable, Allowed, out _, out var longError));
        Assert.Contains("too long", longError, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuild_NeverPassesTheAgentsSecretsOrLoaderVariables()
    {
        Assert.True(EnvironmentPolicy.TryBuild([new("X", "1")], AgentVariable, Allowed, out var environment, out _));

        Assert.False(environment.ContainsKey("AUTH_TOKEN"));
        Assert.False(environment.ContainsKey("LD_PRELOAD"));
        Assert.DoesNotContain(environment.Values, v => v.Contains("secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("TAR_OPTIONS")]
    [InlineData("RSYNC_RSH")]
    [InlineData("RSYNC_CONNECT_PROG")]
    [InlineData("SSLKEYLOGFILE")]
    [InlineData("PHPRC")]
    [InlineData("KUBECONFIG")]
    [InlineData("SOME_NAME_NOBODY_LISTED")]
    public void TryBuild_NameOutsideTheAllowList_IsRefusedNamingIt(string name)
    {
        Assert.False(EnvironmentPolicy.TryBuild([new(name, "--checkpoint-action=exec=touch /tmp/x")], AgentVariable, Allowed, out var environment, out var error));
        Assert.Null(environment);
        Assert.Contains(name, error, StringComparison.Ordinal);
        Assert.DoesNotContain("checkpoint", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LANG")]
    [InlineData("TZ")]
    [InlineData("LC_ALL")]
    [InlineData("LC_NUMERIC")]
    public void TryBuild_LocaleAndTimeZone_AreAlwaysAllowed(string name)
    {
        Assert.True(EnvironmentPolicy.TryBuild([new(name, "C")], AgentVariable, [], out var environment, out var error), error);
        Assert.Equal("C", environment[name]);
    }

    [Fact]
    public void TryBuild_ConfiguredName_IsAllowed_AndOnlyWithItsExactSpellingOnUnix()
    {
        Assert.True(EnvironmentPolicy.TryBuild([new("APP_MODE", "x")], AgentVariable, ["APP_MODE"], out _, out _));
        Assert.False(EnvironmentPolicy.TryBuild([new("App_Mode", "x")], AgentVariable, ["APP_MODE"], out _, out var error));
        Assert.Contains("App_Mode is not allowed", error, StringComparison.Ordinal);
        Assert.False(EnvironmentPolicy.TryBuild([new("LC_", "x")], AgentVariable, [], out _, out _));
        Assert.False(EnvironmentPolicy.TryBuild([new("lang", "C")], AgentVariable, [], out _, out _));
    }

    [Fact]
    public void TryBuild_ProtectedName_IsRefusedEvenWhenConfigured()
    {
        Assert.False(EnvironmentPolicy.TryBuild([new("LD_PRELOAD", "x")], AgentVariable, ["LD_PRELOAD"], out _, out var error));
        Assert.Contains("may not be set", error, StringComparison.Ordinal);
    }

    // admin.allowedEnv of these tests.
    private static readonly string[] Allowed = ["APP_MODE", "_", "A", "X", .. Enumerable.Range(0, EnvironmentPolicy.MaxEntries + 1).Select(i => $"V{i}")];

    private static string? AgentVariable(string name) => Agent.GetValueOrDefault(name);
}

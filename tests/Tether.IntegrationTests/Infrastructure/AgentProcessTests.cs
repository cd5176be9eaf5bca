using System.Text.Json.Nodes;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>The agent launcher, exercised with /bin/sh standing in for the agent.</summary>
public sealed class AgentProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("CLIENT_ID", true)]
    [InlineData("AUTH_TOKEN", true)]
    [InlineData("CLIENT_CONFIG_PATH", true)]
    [InlineData("HTTPS_PROXY", true)]
    [InlineData("no_proxy", true)]
    [InlineData("all_proxy", true)]
    [InlineData("PATH", false)]
    [InlineData("HOME", false)]
    public void IsConfigVariable_NamesWhatWouldChangeTheAgentConfig(string name, bool expected) =>
        Assert.Equal(expected, AgentProcess.IsConfigVariable(name));

    [Fact]
    public async Task Start_WritesTheConfigAndPassesRunConfigExtraArgsAndTestEnvironment()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = new JsonObject { ["clientId"] = "agent-é", ["serverUrl"] = "http://127.0.0.1:1" },
            ExtraArgs = ["--log-level", "debug"],
            Environment = new Dictionary<string, string?> { ["CLIENT_ID"] = "from-env" },
            Executable = "/bin/sh",
            ExecutableArgs = ["-c", """printf '%s\n' "$@"; echo "env=$CLIENT_ID"; echo "cwd=$(pwd)"; cat "$3"; echo""", "sh"],
        });

        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));

        var output = agent.StandardOutputLines;
        Assert.Equal(["run", "--config", agent.ConfigPath, "--log-level", "debug", "env=from-env"], output.Take(6));
        Assert.Equal("cwd=" + agent.Directory, output[6]);
        var config = JsonNode.Parse(string.Join("\n", output.Skip(7)))!;
        Assert.Equal("agent-é", (string?)config["clientId"]);
        Assert.Equal(Path.Combine(agent.Directory, "agent.log"), agent.LogPath);
        Assert.Equal(Path.Combine(agent.Directory, "state"), agent.StateDirectory);
    }

    [Fact]
    public async Task SendSignal_Sigterm_EndsTheProcessAndTheExitCodeSaysSo()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Executable = "/bin/sh",
            ExecutableArgs = ["-c", "echo ready; exec sleep 30", "sh"],
            Verb = null,
        });
        await agent.WaitForStandardOutputAsync(l => l == "ready", Timeout);

        agent.SendSignal(UnixSignals.SIGTERM);

        Assert.Equal(128 + UnixSignals.SIGTERM, await agent.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task Dispose_KillsTheRunningProcessAndDeletesItsFolder()
    {
        var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = new JsonObject(),
            Executable = "/bin/sh",
            ExecutableArgs = ["-c", "echo started >&2; exec sleep 30", "sh"],
        });
        await agent.WaitForStandardErrorAsync(l => l == "started", Timeout);
        var pid = agent.ProcessId;

        await agent.DisposeAsync();

        Assert.Null(ProcFs.State(pid));
        Assert.False(Directory.Exists(agent.Directory));
    }

    [Fact]
    public async Task WaitForLog_FindsAJsonLineWrittenLater()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Executable = "/bin/sh",
            ExecutableArgs = ["-c", """read _; echo '{"level":"Information","message":"hello"}' >> agent.log; exec sleep 30""", "sh"],
            Verb = null,
        });
        var waiting = agent.WaitForLogAsync(r => r.GetProperty("message").GetString() == "hello", Timeout);
        Assert.Empty(agent.ReadLogRecords());

        await agent.WriteStandardInputLineAsync("go");

        Assert.Equal("Information", (await waiting).GetProperty("level").GetString());
    }

    [Fact]
    public async Task DefaultAgent_IsFoundAndRuns()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Verb = "--version" });

        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEmpty(agent.StandardOutputLines.Concat(agent.StandardErrorLines));
    }
}

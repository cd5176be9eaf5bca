using System.Text.Json;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Service;

/// <summary>packaging/launchd/com.tether.agent.plist, loaded by Python's plistlib (no plutil off macOS).</summary>
public sealed class LaunchdPlistTests
{
    private static readonly string PlistPath = Path.Combine(RepoPaths.Root, "packaging", "launchd", "com.tether.agent.plist");

    [Fact]
    public async Task Plist_Loads_AndRunsTheAgentAtBoot_RestartingOnlyAfterFailures()
    {
        using JsonDocument plist = await LoadAsync();
        JsonElement root = plist.RootElement;

        Assert.Equal("com.tether.agent", root.GetProperty("Label").GetString());
        Assert.Equal(
            ["/usr/local/bin/tether", "run", "--config", "/usr/local/etc/tether/agent-config.json"],
            root.GetProperty("ProgramArguments").EnumerateArray().Select(a => a.GetString()));
        Assert.True(root.GetProperty("RunAtLoad").GetBoolean());
        Assert.False(root.GetProperty("KeepAlive").GetProperty("SuccessfulExit").GetBoolean());

        JsonElement env = root.GetProperty("EnvironmentVariables");
        Assert.Equal("/usr/local/etc/tether/agent-config.json", env.GetProperty("CLIENT_CONFIG_PATH").GetString());
        Assert.True(Path.IsPathRooted(env.GetProperty("LOG_FILE").GetString()));
        Assert.True(Path.IsPathRooted(root.GetProperty("StandardErrorPath").GetString()));
        // launchd sends SIGKILL after ExitTimeOut; the agent needs up to 5 s (docs/protocol.md §7).
        Assert.True(root.GetProperty("ExitTimeOut").GetInt32() > 5);
    }

    private static async Task<JsonDocument> LoadAsync()
    {
        string python = ToolRun.Find("python3")
            ?? throw new InvalidOperationException("python3 is not installed; it parses packaging/launchd/com.tether.agent.plist (apt-get install python3)");
        var run = await ToolRun.RunAsync(
            python,
            ["-c", "import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], 'rb'))))", PlistPath]);
        Assert.True(run.ExitCode == 0, "plistlib could not load the plist: " + run);
        return JsonDocument.Parse(run.StandardOutput);
    }
}

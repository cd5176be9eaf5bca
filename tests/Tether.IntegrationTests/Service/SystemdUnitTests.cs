using Tether.IntegrationTests.Infrastructure;
using Tether.Service;

namespace Tether.IntegrationTests.Service;

/// <summary>packaging/systemd/tether.service: systemd's own verifier, and the settings the agent relies on.</summary>
public sealed class SystemdUnitTests
{
    private static readonly string UnitPath = Path.Combine(RepoPaths.Root, "packaging", "systemd", "tether.service");

    [Fact]
    public async Task SystemdAnalyzeVerify_AcceptsTheUnit_WithTheBuiltAgentAsExecStart()
    {
        var run = await VerifyAsync(AgentExecutable());
        Assert.True(run.ExitCode == 0, "systemd-analyze verify failed: " + run);
        // Unknown keys and bad values are warnings (exit 0) naming the file: none allowed.
        string output = run.StandardOutput + run.StandardError;
        Assert.DoesNotContain("tether.service", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemdAnalyzeVerify_RejectsTheUnit_WhenExecStartDoesNotExist()
    {
        // The check above only means something if the verifier really looks at the unit.
        var run = await VerifyAsync("/nonexistent/tether");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("/nonexistent/tether", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_HasTheSettingsTheAgentsNotificationsRelyOn()
    {
        var settings = ActiveSettings();
        Assert.Equal("notify", settings["Type"].Single());
        Assert.Equal("main", settings["NotifyAccess"].Single());
        Assert.Equal("/usr/local/bin/tether run --config /etc/tether/agent-config.json", settings["ExecStart"].Single());
        Assert.Equal("on-failure", settings["Restart"].Single());
        Assert.Equal("2", settings["RestartPreventExitStatus"].Single());
        Assert.Equal("mixed", settings["KillMode"].Single());
        Assert.Equal("continue", settings["OOMPolicy"].Single()); // an OOM-killed child must not stop the agent

        // Start timeout above the agent's grace, or a dashboard that is down at boot would get it killed.
        Assert.True(int.Parse(settings["TimeoutStartSec"].Single(), System.Globalization.CultureInfo.InvariantCulture) > SystemdNotifier.StartGrace.TotalSeconds + 30);
        // The agent exits within 5 s of SIGTERM (docs/protocol.md §7).
        Assert.True(int.Parse(settings["TimeoutStopSec"].Single(), System.Globalization.CultureInfo.InvariantCulture) > 5);
        Assert.True(int.Parse(settings["WatchdogSec"].Single(), System.Globalization.CultureInfo.InvariantCulture) >= 10);

        Assert.Equal("tether", settings["StateDirectory"].Single());
        Assert.Equal("tether", settings["LogsDirectory"].Single());
        Assert.Contains("STATE_DIR=/var/lib/tether", settings["Environment"]);
        Assert.Contains("LOG_FILE=/var/log/tether/agent.log", settings["Environment"]);
    }

    [Theory]
    [InlineData("NoNewPrivileges")] // sudo/su/setgid crontab from the shell
    [InlineData("ProtectSystem")] // package upgrades, /etc edits
    [InlineData("ProtectHome")] // key sync writes ~/.ssh
    [InlineData("PrivateTmp")]
    [InlineData("PrivateDevices")] // the shell's /dev/pts
    [InlineData("CapabilityBoundingSet")]
    [InlineData("SystemCallFilter")]
    public void Unit_DoesNotSandboxTheAdminAgent(string key) =>
        Assert.False(ActiveSettings().ContainsKey(key), $"{key}= would break shells, commands, key sync or backups run by the agent");

    private static async Task<ToolRun> VerifyAsync(string execStart)
    {
        string analyze = ToolRun.Find("systemd-analyze")
            ?? throw new InvalidOperationException("systemd-analyze is not installed; it checks packaging/systemd/tether.service (apt-get install systemd; scripts/test installs it)");
        using var dir = new TempDirectory("tether-unit-");
        string unit = dir.Join("tether.service");
        File.WriteAllText(unit, File.ReadAllText(UnitPath).Replace("/usr/local/bin/tether", execStart, StringComparison.Ordinal));
        // No systemd as pid 1 needed: verify loads the unit and its dependencies from disk.
        return await ToolRun.RunAsync(analyze, ["verify", unit], new Dictionary<string, string?> { ["SYSTEMD_LOG_COLOR"] = "0", ["SYSTEMD_PAGER"] = "" });
    }

    /// <summary>The binary to put in ExecStart: <c>TETHER_AGENT_BIN</c>, else the newest build's apphost.</summary>
    private static string AgentExecutable()
    {
        if (Environment.GetEnvironmentVariable("TETHER_AGENT_BIN") is { Length: > 0 } bin)
        {
            return bin;
        }

        string binDir = Path.Combine(RepoPaths.Root, "src", "Tether", "bin");
        return (Directory.Exists(binDir)
                ? Directory.GetDirectories(binDir)
                    .Select(config => new FileInfo(Path.Combine(config, "net10.0", "tether")))
                    .Where(f => f.Exists)
                    .OrderByDescending(f => f.LastWriteTimeUtc)
                    .FirstOrDefault()?.FullName
                : null)
            ?? throw new InvalidOperationException("No agent binary for ExecStart: set TETHER_AGENT_BIN or run dotnet build.");
    }

    /// <summary>Key to values of the unit's uncommented lines (comments are where left-out options are explained).</summary>
    private static Dictionary<string, List<string>> ActiveSettings()
    {
        var settings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string raw in File.ReadAllLines(UnitPath))
        {
            string line = raw.Trim();
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] is '#' or ';' or '[' || eq <= 0)
            {
                continue;
            }

            string key = line[..eq];
            if (!settings.TryGetValue(key, out var values))
            {
                settings[key] = values = [];
            }

            values.Add(line[(eq + 1)..]);
        }

        return settings;
    }
}

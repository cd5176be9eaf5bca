using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.Tests.Infrastructure;

namespace Tether.IntegrationTests.Install;

/// <summary>
/// The published binary's <c>tether service install</c> into a temp folder standing for <c>/</c>
/// (<c>TETHER_INSTALL_ROOT</c>), with a fake <c>systemctl</c> on PATH that logs its arguments;
/// then the installed unit's ExecStart runs for real against the real peer.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ServiceInstallTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-service-install-");
    private readonly string _root;
    private readonly string _systemctlLog;
    private readonly Dictionary<string, string?> _environment;

    public ServiceInstallTests()
    {
        _root = _dir.Join("root");
        Directory.CreateDirectory(_root);
        string fakeBin = _dir.Join("fakebin");
        Directory.CreateDirectory(fakeBin);
        _systemctlLog = _dir.Join("systemctl.log");
        string systemctl = Path.Join(fakeBin, "systemctl");
        File.WriteAllText(systemctl, """
            #!/bin/sh
            # Stands in for systemctl: logs its arguments, one call a line; is-active answers "active".
            printf '%s\n' "$*" >> "$SYSTEMCTL_LOG"
            if [ "$1" = is-active ]; then echo active; fi
            exit 0
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(systemctl, (UnixFileMode)0x1ED); // 0755
        _environment = new Dictionary<string, string?>
        {
            ["TETHER_INSTALL_ROOT"] = _root,
            ["SYSTEMCTL_LOG"] = _systemctlLog,
            ["PATH"] = fakeBin + ":" + Environment.GetEnvironmentVariable("PATH"),
        };
    }

    private string UnitPath => Path.Join(_root, "etc", "systemd", "system", "tether.service");

    private string InstalledBinary => Path.Join(_root, "usr", "local", "bin", "tether");

    [Fact]
    public async Task Install_WritesTheUnitAndBinary_CallsSystemctl_AndTheUnitsExecStartConnectsAndSendsStats()
    {
        const string clientId = "service-install";
        await using var peer = await PeerServer.StartAsync(new PeerOptions());
        var config = peer.CreateAgentConfig(clientId);
        config["statsIntervalSec"] = 1;
        string configPath = WriteConfig(config, (UnixFileMode)0x180); // 0600

        var install = await TetherAsync("service", "install", "--config", configPath);

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal(["daemon-reload", "enable --now tether"], SystemctlCalls());
        Assert.True(File.ReadAllBytes(AgentBinary()).AsSpan().SequenceEqual(File.ReadAllBytes(InstalledBinary)), "the installed binary is not the published one");
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(InstalledBinary));
        string[] execStart = ExecStart();
        Assert.Equal([InstalledBinary, "run", "--config", configPath], execStart);
        // The binary's embedded unit is packaging's: only ExecStart differs (no --user here).
        string[] packaged = File.ReadAllLines(Path.Join(RepoPaths.Root, "packaging", "systemd", "tether.service"));
        string[] installed = File.ReadAllLines(UnitPath);
        Assert.Equal(packaged.Length, installed.Length);
        Assert.Equal(["ExecStart=/usr/local/bin/tether run --config /etc/tether/agent-config.json"], packaged.Where((line, i) => line != installed[i]));

        var again = await TetherAsync("service", "install", "--config", configPath);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already installed, nothing changed", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["daemon-reload", "enable --now tether", "is-active tether"], SystemctlCalls()); // a question, no change

        var status = await TetherAsync("service", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("systemctl is-active tether: active", status.StandardOutput, StringComparison.Ordinal);

        // What systemd would start: the installed binary with the unit's arguments.
        await using (var agent = await AgentProcess.StartAsync(new AgentOptions { Executable = execStart[0], ExecutableArgs = execStart[1..], Verb = null }))
        {
            await peer.WaitForAsync("sent", r => r.Event == "hello_ack" && r.ClientId == clientId, Waits.Event);
            await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == clientId);
            agent.SendSignal(UnixSignals.SIGTERM);
            Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        var uninstall = await TetherAsync("service", "uninstall");
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(File.Exists(UnitPath));
        Assert.True(File.Exists(InstalledBinary));
        Assert.True(File.Exists(configPath));
        Assert.Equal(["daemon-reload", "enable --now tether", "is-active tether", "is-active tether", "disable --now tether", "daemon-reload"], SystemctlCalls());
        Assert.Equal(4, (await TetherAsync("service", "status")).ExitCode);
    }

    [Fact]
    public async Task Install_ConfigReadableByOthers_IsRefusedWithTheChmodToRun_AndCallsNoSystemctl()
    {
        var config = new JsonObject { ["clientId"] = "c", ["serverUrl"] = "http://127.0.0.1:9", ["authToken"] = "t" };
        string configPath = WriteConfig(config, (UnixFileMode)0x1A4); // 0644

        var install = await TetherAsync("service", "install", "--config", configPath);

        Assert.True(install.ExitCode == 1, install.ToString());
        Assert.Contains($"run: chmod 600 {configPath}", install.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(UnitPath));
        Assert.False(File.Exists(InstalledBinary));
        Assert.Empty(SystemctlCalls());
    }

    [Fact]
    public async Task Install_WithSpacesInThePaths_WritesAUnitThatSystemdAnalyzeVerifyAccepts()
    {
        // A root and a config folder with spaces: ExecStart must quote them, or systemd looks for
        // ".../root" as the program and verify fails on it.
        string root = _dir.Join("root dir");
        Directory.CreateDirectory(root);
        var environment = new Dictionary<string, string?>(_environment) { ["TETHER_INSTALL_ROOT"] = root };
        string configPath = WriteConfig(new JsonObject { ["clientId"] = "c", ["serverUrl"] = "http://127.0.0.1:9", ["authToken"] = "t" }, (UnixFileMode)0x180, "conf dir");

        var install = await ToolRun.RunAsync(AgentBinary(), ["service", "install", "--config", configPath], environment);
        Assert.True(install.ExitCode == 0, install.ToString());

        string unit = Path.Join(root, "etc", "systemd", "system", "tether.service");
        Assert.Contains($"ExecStart=\"{root}/usr/local/bin/tether\" run --config \"{configPath}\"\n", File.ReadAllText(unit), StringComparison.Ordinal);
        string analyze = ToolRun.Find("systemd-analyze")
            ?? throw new InvalidOperationException("systemd-analyze is not installed (apt-get install systemd; scripts/test installs it)");
        var verify = await ToolRun.RunAsync(analyze, ["verify", unit], new Dictionary<string, string?> { ["SYSTEMD_LOG_COLOR"] = "0", ["SYSTEMD_PAGER"] = "" });
        Assert.True(verify.ExitCode == 0, "systemd-analyze verify failed: " + verify);
        Assert.DoesNotContain("tether.service", verify.StandardOutput + verify.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Only a published binary can install itself (under <c>dotnet tether.dll</c> the running program is dotnet).</summary>
    private static string AgentBinary() =>
        Environment.GetEnvironmentVariable("TETHER_AGENT_BIN") is { Length: > 0 } bin && !bin.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
            ? bin
            : throw new InvalidOperationException("set TETHER_AGENT_BIN to the published linux binary: `tether service install` copies the running binary, which cannot be dotnet");

    private Task<ToolRun> TetherAsync(params string[] args) => ToolRun.RunAsync(AgentBinary(), args, _environment);

    private string WriteConfig(JsonObject config, UnixFileMode mode, string folder = "conf")
    {
        Directory.CreateDirectory(_dir.Join(folder));
        File.SetUnixFileMode(_dir.Join(folder), (UnixFileMode)0x1C0); // 0700, whatever the umask
        string path = _dir.Join(folder, "agent-config.json");
        File.WriteAllText(path, config.ToJsonString());
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private List<string> SystemctlCalls() => File.Exists(_systemctlLog) ? [.. File.ReadAllLines(_systemctlLog)] : [];

    /// <summary>The unit's ExecStart split into words (the test's paths need no systemd quoting).</summary>
    private string[] ExecStart()
    {
        string line = Assert.Single(File.ReadAllLines(UnitPath), static l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        return line["ExecStart=".Length..].Split(' ');
    }
}

using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Commands;

/// <summary>
/// docs/protocol.md §4, exact allowlist entries: an entry ending in " $" admits only that command
/// line, so a hostile dashboard cannot append tar's <c>--checkpoint-action=exec=…</c>; <c>tether
/// check</c> warns about prefix entries for programs that run their arguments.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AdminAllowlistExactTests
{
    [Fact]
    public async Task ExactTarEntry_TrailingCheckpointActionIsRefused_AndNeverRuns()
    {
        using var work = new TempDirectory("tether-exact-");
        var source = work.Write("source.txt", "data\n");
        var marker = work.Join("marker");
        var exact = $"tar -cf /dev/null {source}";
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "exact", exact + " $"));
        await AdminRun.ReadyAsync(peer, "exact");

        var attack = await AdminRun.RunAsync(peer, "exact", "x1", $"{exact} --checkpoint=1 --checkpoint-action=exec=touch\\ {marker}");
        Assert.Equal(126, AdminRun.Code(attack));
        Assert.Contains("is not in admin.allowedCommands", AdminRun.Stderr(attack), StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the appended checkpoint action ran");

        var ok = await AdminRun.RunAsync(peer, "exact", "x2", exact);
        Assert.Equal(0, AdminRun.Code(ok));
    }

    [Fact]
    public async Task Check_WarnsAboutPrefixEntriesForProgramsThatRunTheirArguments()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = AdminRun.Config(peer, "checkwarn", "tar -czf /backup/etc.tgz /etc", "find /var/log $", "uptime");
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = config, Verb = "check" });

        Assert.Equal(0, await agent.WaitForExitAsync(Waits.Event));
        var output = string.Join('\n', agent.StandardOutputLines);
        Assert.Matches(@"(?m)^PASS\s+config .*\(2 warnings\)", output);
        Assert.Contains("warning: admin.enableShell is true", output, StringComparison.Ordinal);
        Assert.Contains("warning: admin.allowedCommands[0] \"tar -czf /backup/etc.tgz /etc\" admits any further arguments, and tar can run commands", output, StringComparison.Ordinal);
        Assert.DoesNotContain("allowedCommands[1]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WarnsAboutTheShell_AndAConfigFileOthersCanRead()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "startwarn", "uptime"));
        await AdminRun.ReadyAsync(peer, "startwarn");
        await agent.WaitForStandardErrorAsync(l => l.Contains("WRN [ShellCapability] admin.enableShell is true", StringComparison.Ordinal) && l.Contains("\"enableShell\": false", StringComparison.Ordinal), Waits.Event);
        Assert.DoesNotContain(agent.StandardErrorLines, l => l.Contains("holds authToken", StringComparison.Ordinal));

        // A config file readable by everyone, with the shell off.
        using var dir = new TempDirectory("tether-looseconfig-");
        var config = AdminRun.Config(peer, "startwarn2", "uptime");
        config["admin"]!["enableShell"] = false;
        var path = dir.Write("agent-config.json", config.ToJsonString());
        File.SetUnixFileMode(path, (UnixFileMode)0x1A4); // 0644
        await using var loose = await AgentProcess.StartAsync(new AgentOptions { Config = null, PassConfigPath = false, ExtraArgs = ["--config", path] });
        await AdminRun.ReadyAsync(peer, "startwarn2");
        await loose.WaitForStandardErrorAsync(l => l.Contains($"{path} holds authToken and is readable by group and others (mode 0644); run chmod 600 on it", StringComparison.Ordinal), Waits.Event);
        Assert.DoesNotContain(loose.StandardErrorLines, l => l.Contains("admin.enableShell is true", StringComparison.Ordinal));
    }
}

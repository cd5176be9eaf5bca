using System.Text.RegularExpressions;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// <c>tether.exe service install | status | uninstall</c> under Wine's Service Control Manager
/// (the session set-up and helpers of <see cref="WindowsServiceTests"/>): the real service
/// <c>Tether</c>, the binary copied to <c>C:\Program Files\Tether\tether.exe</c>, the agent
/// connecting to the real peer. Wine 8's <c>sc.exe</c> has no <c>qc</c>, <c>qfailure</c>,
/// <c>config</c> or <c>failureflag</c>: the service's command line is read from the registry the
/// SCM keeps it in, and <c>sc failureflag</c> failing there is only a warning of the install.
/// </summary>
[Trait("Category", "Windows")]
public sealed class WindowsServiceInstallTests
{
    private const string Service = "Tether";
    private const string InstalledBinary = @"C:\Program Files\Tether\tether.exe";

    [Fact]
    public async Task ServiceInstall_CreatesAndStartsTheService_StatusIs0_ASecondInstallRecreatesNothing_UninstallRemovesIt()
    {
        WindowsAgentTests.RequireWindowsAgent();
        await using var peer = await PeerServer.StartAsync();
        using var dir = new TempDirectory("tether-winsvc-install-");
        var config = peer.CreateAgentConfig("win-service-install");
        config["statsIntervalSec"] = 1;
        await File.WriteAllTextAsync(dir.Join("agent config.json"), config.ToJsonString());
        string configPath = WindowsServiceTests.WinePath(dir.Join("agent config.json"));
        string binPath = $"\"{InstalledBinary}\" run --service --config \"{configPath}\"";
        await using var keepAlive = await WindowsServiceTests.KeepWineAliveAsync();
        await RemoveServiceAsync(); // a run killed before its finally left it in the prefix
        try
        {
            var install = await TetherAsync("service", "install", "--config", configPath);
            Assert.True(install.ExitCode == 0, install.ToString());
            Assert.Contains($@"sc.exe create Tether binPath= {binPath} start= auto", install.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("sc.exe failure Tether reset= 86400 actions= restart/5000/restart/5000/restart/60000", install.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("sc.exe failureflag Tether 1", install.StandardOutput, StringComparison.Ordinal);

            var registry = await RegQueryAsync();
            Assert.Equal(0, registry.ExitCode);
            Assert.Equal(binPath, Regex.Match(registry.StandardOutput, @"ImagePath\s+REG_\w+\s+(.*?)\r?$", RegexOptions.Multiline).Groups[1].Value);
            Assert.Matches(@"Start\s+REG_DWORD\s+0x2\b", registry.StandardOutput);

            await peer.WaitForAsync("sent", r => r.Event == "hello_ack", Waits.Reconnect);
            await peer.WaitForEventAsync("stats", Waits.Reconnect, r => r.ClientId == "win-service-install");
            Assert.Equal("RUNNING", (await WindowsServiceTests.QueryAsync(Service)).State);

            var status = await TetherAsync("service", "status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains("state: RUNNING", status.StandardOutput, StringComparison.Ordinal);

            var again = await TetherAsync("service", "install", "--config", configPath);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.DoesNotContain("sc.exe create", again.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("sc.exe config", again.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("sc.exe stop", again.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("copied", again.StandardOutput, StringComparison.Ordinal);
            Assert.Equal("RUNNING", (await WindowsServiceTests.QueryAsync(Service)).State);

            var uninstall = await TetherAsync("service", "uninstall");
            Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
            var gone = await peer.WaitForAsync("disconnect", null, Waits.Event);
            Assert.Equal("client namespace disconnect", gone.Reason);
            // Windows answers 1060 (ERROR_SERVICE_DOES_NOT_EXIST); Wine's sc.exe exits 1.
            Assert.NotEqual(0, (await WindowsServiceTests.ScAsync("query", Service, true)).ExitCode);
            Assert.NotEqual(0, (await RegQueryAsync()).ExitCode);

            var after = await TetherAsync("service", "status");
            Assert.True(after.ExitCode == 4, after.ToString());
        }
        finally
        {
            await RemoveServiceAsync();
        }
    }

    private static async Task RemoveServiceAsync()
    {
        await WindowsServiceTests.ScAsync("stop", Service, true);
        await WindowsServiceTests.ScAsync("delete", Service, true);
    }

    /// <summary>The release file's <c>tether.exe</c> under Wine, with a deadline (the WindowsServiceTests rule: past it the prefix's wineserver is ended).</summary>
    private static async Task<ToolRun> TetherAsync(params string[] args)
    {
        try
        {
            return await ToolRun.RunAsync(WindowsServiceTests.Launcher, [Environment.GetEnvironmentVariable("TETHER_AGENT_BIN")!, .. args], deadline: TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await WindowsServiceTests.KillWineServerAsync();
            throw;
        }
    }

    private static async Task<ToolRun> RegQueryAsync()
    {
        try
        {
            return await ToolRun.RunAsync(WindowsServiceTests.Launcher, ["reg", "query", @"HKLM\System\CurrentControlSet\Services\" + Service], deadline: WindowsServiceTests.CallDeadline);
        }
        catch (TimeoutException)
        {
            await WindowsServiceTests.KillWineServerAsync();
            throw;
        }
    }
}

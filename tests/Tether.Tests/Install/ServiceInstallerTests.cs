using System.Runtime.Versioning;
using System.Text.Json;
using Tether.Config;
using Tether.Install;
using Tether.Platform.FileSystem;

namespace Tether.Tests.Install;

/// <summary>The systemd install into a temp folder standing for <c>/</c>, with the systemctl commands recorded.</summary>
[SupportedOSPlatform("linux")]
public sealed class ServiceInstallerTests : IDisposable
{
    private const string FullConfig = """
        {
          "clientId": "web-01",
          "serverUrl": "https://dash.example.com",
          "authToken": "secret-token",
          "statsIntervalSec": 5,
          "admin": { "allowedCommands": ["systemctl restart nginx"], "maxConcurrent": 3 },
          "backup": { "allowedSourceRoots": ["/srv"], "allowedDestRoots": ["/backup"] },
          "keys": { "baseUrl": "https://keys.example.com" }
        }
        """;

    private const string MonitorConfig = """{"clientId":"web-01","serverUrl":"https://dash.example.com","authToken":"t","admin":{"enableShell":false},"keys":{"enabled":false}}""";

    private readonly TempDirectory _dir = new("tether-install-");
    private readonly SystemdServiceLayout _layout;
    private readonly RecordingServiceManagerCommands _commands = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly string _binary;

    public ServiceInstallerTests()
    {
        _layout = new SystemdServiceLayout(_dir.Path);
        Directory.CreateDirectory(_dir.Join("build"));
        _binary = _dir.Write("build/tether", "the agent binary v1");
        Directory.CreateDirectory(_dir.Join("etc"));
        _dir.Write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nmonitor:x:4321:4322::/nonexistent:/usr/sbin/nologin\n");
        File.SetUnixFileMode(_dir.Path, InstallFiles.Mode0755); // another user may enter it, as it may enter /
    }

    private ServiceInstaller Installer => new(_layout, _commands, _output, _error);

    [Fact]
    public async Task Install_Fresh_CopiesTheBinary0755_WritesTheUnit_AndEnablesItNow()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);

        int code = await InstallAsync();

        Assert.True(code == 0, _error.ToString());
        Assert.Equal("the agent binary v1", File.ReadAllText(_layout.BinaryPath));
        Assert.Equal(InstallFiles.Mode0755, File.GetUnixFileMode(_layout.BinaryPath));
        Assert.True(FileSystems.Current.TryLstat(_layout.BinaryPath, out var stat, out _));
        Assert.Equal(FileSystems.Current.EffectiveIds.Uid, stat.Uid); // root, when run as root (a real install must)
        Assert.Equal(InstallFiles.Mode0644, File.GetUnixFileMode(_layout.DefinitionPath));
        Assert.Equal(_layout.Render(_layout.BinaryPath, _layout.DefaultConfigPath, null), File.ReadAllText(_layout.DefinitionPath));
        Assert.Contains($"ExecStart={_layout.BinaryPath} run --config {_layout.DefaultConfigPath}\n", File.ReadAllText(_layout.DefinitionPath), StringComparison.Ordinal);
        Assert.Equal(["systemctl daemon-reload", "systemctl enable --now tether"], _commands.Issued);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_layout.BinaryPath)!, "*.tmp"));
    }

    [Fact]
    public async Task Install_WithoutAConfig_MakesTheConfigFolder0700_AndRefusesNamingTheFile()
    {
        int code = await InstallAsync();

        Assert.Equal(2, code);
        Assert.Equal(InstallFiles.Mode0700, File.GetUnixFileMode(Path.GetDirectoryName(_layout.DefaultConfigPath)!));
        Assert.Contains($"no config at {_layout.DefaultConfigPath}", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_layout.DefinitionPath));
        Assert.Empty(_commands.Issued);
    }

    [Theory]
    [InlineData(0x1A4)] // 0644: others read the token
    [InlineData(0x1A0)] // 0640: the group reads it
    [InlineData(0x182)] // 0602: others may rewrite it
    public async Task Install_ConfigReadableOrWritableByOthers_IsRefusedWithTheChmodToRun_AndNothingIsWritten(int mode)
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig, (UnixFileMode)mode);

        int code = await InstallAsync();

        Assert.Equal(1, code);
        Assert.Contains($"run: chmod 600 {_layout.DefaultConfigPath}", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_layout.DefinitionPath));
        Assert.False(File.Exists(_layout.BinaryPath));
        Assert.Empty(_commands.Issued);
    }

    [Fact]
    public async Task Install_ConfigOwnedByAnotherUser_IsRefusedWithTheChownToRun()
    {
        // Needs root (chown), as a real install does.
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        GiveToMonitor(_layout.DefaultConfigPath);

        Assert.Equal(1, await InstallAsync());
        Assert.Contains($"belongs to uid 4321, who could point the service (which runs as root) at another server; run: chown root {_layout.DefaultConfigPath}", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_layout.DefinitionPath));

        // A service that runs as another user reads a config that user owns.
        Assert.Equal(0, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, User = "monitor" }));
    }

    [Fact]
    public async Task Install_AsAUserWhoCannotReadTheConfig_IsRefusedWithTheFix()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig); // root's, 0600

        Assert.Equal(1, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, User = "monitor" }));
        Assert.Contains($"the service runs as monitor (uid 4321), who cannot read {_layout.DefaultConfigPath} (owner uid 0, mode 0600)", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_layout.DefinitionPath));

        GiveToMonitor(_layout.DefaultConfigPath);
        File.SetUnixFileMode(Path.GetDirectoryName(_layout.DefaultConfigPath)!, InstallFiles.Mode0700);
        Assert.Equal(1, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, User = "monitor" }));
        Assert.Contains($"who cannot enter {Path.GetDirectoryName(_layout.DefaultConfigPath)} (owner uid 0, mode 0700)", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_AsAnUnknownUser_IsAUsageError()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);

        Assert.Equal(2, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, User = "nosuchuser" }));
        Assert.Contains($"--user nosuchuser: no such user in {_dir.Join("etc", "passwd")}", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_MonitorOnlyAsAUser_GivesTheCopyAndTheFolderItMadeToTheUser()
    {
        string source = _dir.Join("full.json");
        WriteConfig(source, FullConfig);

        int code = await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, ConfigPath = source, MonitorOnly = true, User = "monitor" });

        Assert.True(code == 0, _error.ToString());
        Assert.True(FileSystems.Current.TryLstat(_layout.DefaultConfigPath, out var file, out _));
        Assert.True(FileSystems.Current.TryLstat(Path.GetDirectoryName(_layout.DefaultConfigPath)!, out var folder, out _));
        Assert.Equal((4321u, 4322u), (file.Uid, file.Gid));
        Assert.Equal((4321u, 4322u), (folder.Uid, folder.Gid));
        Assert.Contains("\nUser=monitor\n", File.ReadAllText(_layout.DefinitionPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_ConfigFolderWritableByOthers_IsRefused()
    {
        string config = _dir.Join("shared", "agent-config.json");
        WriteConfig(config, FullConfig);
        File.SetUnixFileMode(_dir.Join("shared"), (UnixFileMode)0x1FD); // 0775

        Assert.Equal(1, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, ConfigPath = config }));
        Assert.Contains($"chmod go-w {_dir.Join("shared")}", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_layout.DefinitionPath));
    }

    [Fact]
    public async Task Install_ConfigWithoutAuthToken_IsAConfigError()
    {
        WriteConfig(_layout.DefaultConfigPath, """{"clientId":"a","serverUrl":"https://d.example.com"}""");

        Assert.Equal(2, await InstallAsync());
        Assert.Contains("authToken is required", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_layout.DefinitionPath));
    }

    [Fact]
    public async Task Install_BinaryFolderWritableByOthers_IsRefused()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        string folder = Path.GetDirectoryName(_layout.BinaryPath)!;
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0x1FF); // 0777

        Assert.Equal(1, await InstallAsync());
        Assert.Contains($"chmod go-w {folder}", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_layout.BinaryPath));
    }

    [Fact]
    public async Task Install_Twice_TheSecondChangesNothing_AndIssuesNoCommand()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        Assert.Equal(0, await InstallAsync());
        var unitWritten = File.GetLastWriteTimeUtc(_layout.DefinitionPath);
        var binaryWritten = File.GetLastWriteTimeUtc(_layout.BinaryPath);
        int issued = _commands.Issued.Count;

        Assert.Equal(0, await InstallAsync());

        Assert.Contains("already installed, nothing changed", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["systemctl is-active tether"], _commands.Issued.Skip(issued)); // a question, no change
        Assert.Equal(unitWritten, File.GetLastWriteTimeUtc(_layout.DefinitionPath));
        Assert.Equal(binaryWritten, File.GetLastWriteTimeUtc(_layout.BinaryPath));
    }

    [Fact]
    public async Task Install_AgainWithNothingChanged_ButTheServiceInactive_StartsIt()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        _commands.Answer = static c => c.Arguments.Contains("enable") ? new ServiceCommandResult(1, "Failed to enable unit") : new ServiceCommandResult(0, "");
        Assert.Equal(1, await InstallAsync());
        _commands.Answer = static c => c.Arguments.Contains("is-active") ? new ServiceCommandResult(3, "inactive\n") : new ServiceCommandResult(0, "");

        Assert.Equal(0, await InstallAsync());

        Assert.Contains("already installed, but not active: starting it", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["systemctl is-active tether", "systemctl daemon-reload", "systemctl enable --now tether"], _commands.Issued.Skip(2));
    }

    [Fact]
    public async Task Install_AgainWithAnotherUser_RewritesTheUnit_ReloadsAndRestarts()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        Assert.Equal(0, await InstallAsync());
        GiveToMonitor(_layout.DefaultConfigPath); // needs root, as a real install does

        Assert.Equal(0, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, User = "monitor" }));

        Assert.Contains("\nUser=monitor\n", File.ReadAllText(_layout.DefinitionPath), StringComparison.Ordinal);
        Assert.Equal(["systemctl daemon-reload", "systemctl enable tether", "systemctl restart tether"], _commands.Issued.Skip(2));
        Assert.Contains("run as monitor and can do only what monitor may", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_AgainWithANewBinary_ReplacesIt_AndRestartsWithoutReload()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        Assert.Equal(0, await InstallAsync());
        File.WriteAllText(_binary, "the agent binary v2");

        Assert.Equal(0, await InstallAsync());

        Assert.Equal("the agent binary v2", File.ReadAllText(_layout.BinaryPath));
        Assert.Equal(["systemctl enable tether", "systemctl restart tether"], _commands.Issued.Skip(2));
    }

    [Fact]
    public async Task Install_FromTheInstalledBinaryItself_KeepsIt()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        Assert.Equal(0, await InstallAsync());

        Assert.Equal(0, await InstallAsync(new ServiceInstallOptions { SourceBinary = _layout.BinaryPath }));

        Assert.Contains("already installed, nothing changed", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal("the agent binary v1", File.ReadAllText(_layout.BinaryPath));
    }

    [Fact]
    public async Task Install_WithAnotherConfig_PointsExecStartAtIt()
    {
        string config = _dir.Join("elsewhere.json");
        WriteConfig(config, FullConfig);

        Assert.Equal(0, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, ConfigPath = config }));

        Assert.Contains($"ExecStart={_layout.BinaryPath} run --config {config}\n", File.ReadAllText(_layout.DefinitionPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_MonitorOnly_FromAFullConfig_WritesAMonitorOnlyCopy0600_ThatTheServiceReads()
    {
        string source = _dir.Join("full.json");
        WriteConfig(source, FullConfig);

        int code = await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, ConfigPath = source, MonitorOnly = true });

        Assert.True(code == 0, _error.ToString());
        Assert.Equal(InstallFiles.Mode0600, File.GetUnixFileMode(_layout.DefaultConfigPath));
        Assert.Equal(InstallFiles.Mode0700, File.GetUnixFileMode(Path.GetDirectoryName(_layout.DefaultConfigPath)!));
        Assert.Contains($"ExecStart={_layout.BinaryPath} run --config {_layout.DefaultConfigPath}\n", File.ReadAllText(_layout.DefinitionPath), StringComparison.Ordinal);

        using var written = JsonDocument.Parse(File.ReadAllBytes(_layout.DefaultConfigPath));
        var root = written.RootElement;
        Assert.Equal("web-01", root.GetProperty("clientId").GetString());
        Assert.Equal("https://dash.example.com", root.GetProperty("serverUrl").GetString());
        Assert.Equal("secret-token", root.GetProperty("authToken").GetString());
        Assert.Equal(5, root.GetProperty("statsIntervalSec").GetInt32());
        Assert.False(root.GetProperty("admin").GetProperty("enableShell").GetBoolean());
        Assert.Equal(0, root.GetProperty("admin").GetProperty("allowedCommands").GetArrayLength());
        Assert.Equal(3, root.GetProperty("admin").GetProperty("maxConcurrent").GetInt32());
        Assert.Equal(0, root.GetProperty("backup").GetProperty("allowedSourceRoots").GetArrayLength());
        Assert.Equal(0, root.GetProperty("backup").GetProperty("allowedDestRoots").GetArrayLength());
        Assert.False(root.GetProperty("keys").GetProperty("enabled").GetBoolean());
        Assert.Equal("https://keys.example.com", root.GetProperty("keys").GetProperty("baseUrl").GetString());

        var load = ConfigLoader.Load(new ConfigSources { ConfigPathFlag = _layout.DefaultConfigPath });
        Assert.True(load.Succeeded, load.Error);
        Assert.True(MonitorOnlyConfig.Holds(load.Config));
        Assert.Empty(load.Warnings);
        Assert.Equal(FullConfig, File.ReadAllText(source)); // the source is never touched

        // Again: the copy is monitor-only now and stays as it is.
        Assert.Equal(0, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, ConfigPath = source, MonitorOnly = true }));
        Assert.Contains("already installed, nothing changed", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_MonitorOnly_OverAnExistingFullConfig_IsRefused_AndLeavesItUntouched()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);

        int code = await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, MonitorOnly = true });

        Assert.Equal(1, code);
        Assert.Contains("never rewrites an existing config", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(FullConfig, File.ReadAllText(_layout.DefaultConfigPath));
        Assert.False(File.Exists(_layout.DefinitionPath));
    }

    [Fact]
    public async Task Install_MonitorOnly_DerivedOverAnotherExistingFullConfig_IsRefused()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        string source = _dir.Join("full.json");
        WriteConfig(source, FullConfig);

        Assert.Equal(1, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, ConfigPath = source, MonitorOnly = true }));
        Assert.Contains("never overwrites a config", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(FullConfig, File.ReadAllText(_layout.DefaultConfigPath));
    }

    [Fact]
    public async Task Install_MonitorOnly_WithAConfigThatLeavesKeySyncOn_IsRefused_NamingKeysEnabled()
    {
        // Terminal, commands and backups off, but the dashboard could still add SSH keys to the host.
        const string keysOn = """{"clientId":"web-01","serverUrl":"https://dash.example.com","authToken":"t","admin":{"enableShell":false}}""";
        WriteConfig(_layout.DefaultConfigPath, keysOn);

        Assert.Equal(1, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, MonitorOnly = true }));
        Assert.Contains("keys.enabled false", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(keysOn, File.ReadAllText(_layout.DefaultConfigPath));
        Assert.False(File.Exists(_layout.DefinitionPath));
    }

    [Fact]
    public async Task Install_MonitorOnly_WithAMonitorOnlyConfig_UsesItAsItIs()
    {
        WriteConfig(_layout.DefaultConfigPath, MonitorConfig);

        Assert.Equal(0, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, MonitorOnly = true }));
        Assert.Equal(MonitorConfig, File.ReadAllText(_layout.DefaultConfigPath));
    }

    [Fact]
    public async Task Install_WhenSystemctlFails_ExitsOne_WithItsOutput()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        _commands.Answer = static c => c.Arguments.Contains("enable") ? new ServiceCommandResult(1, "Failed to enable unit") : new ServiceCommandResult(0, "");

        Assert.Equal(1, await InstallAsync());
        Assert.Contains("systemctl enable --now tether failed (exit 1): Failed to enable unit", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_BadUserName_IsAUsageError()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);

        Assert.Equal(2, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, User = "root\nExecStartPre=/bin/evil" }));
        Assert.False(File.Exists(_layout.DefinitionPath));
    }

    [Fact]
    public async Task Uninstall_DisablesNow_RemovesTheUnit_Reloads_AndLeavesBinaryAndConfig()
    {
        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        Assert.Equal(0, await InstallAsync());

        Assert.Equal(0, await Installer.UninstallAsync(CancellationToken.None));

        Assert.False(File.Exists(_layout.DefinitionPath));
        Assert.True(File.Exists(_layout.BinaryPath));
        Assert.True(File.Exists(_layout.DefaultConfigPath));
        Assert.Equal(["systemctl disable --now tether", "systemctl daemon-reload"], _commands.Issued.Skip(2));
    }

    [Fact]
    public async Task Uninstall_WhenNotInstalled_DoesNothing()
    {
        Assert.Equal(0, await Installer.UninstallAsync(CancellationToken.None));
        Assert.Contains("not installed", _output.ToString(), StringComparison.Ordinal);
        Assert.Empty(_commands.Issued);
    }

    [Fact]
    public async Task Status_Exits4NotInstalled_0Active_3Inactive()
    {
        Assert.Equal(4, await Installer.StatusAsync(CancellationToken.None));
        Assert.Contains("not installed", _output.ToString(), StringComparison.Ordinal);

        WriteConfig(_layout.DefaultConfigPath, FullConfig);
        Assert.Equal(0, await InstallAsync());
        _commands.Answer = static c => new ServiceCommandResult(0, c.Program == "systemctl" ? "active\n" : "0.1.0\n");
        Assert.Equal(0, await Installer.StatusAsync(CancellationToken.None));
        Assert.Contains($"binary: {_layout.BinaryPath} version 0.1.0", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("systemctl is-active tether: active", _output.ToString(), StringComparison.Ordinal);

        _commands.Answer = static c => c.Program == "systemctl" ? new ServiceCommandResult(3, "inactive\n") : new ServiceCommandResult(0, "0.1.0\n");
        Assert.Equal(3, await Installer.StatusAsync(CancellationToken.None));
        Assert.Contains("systemctl is-active tether: inactive", _output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _dir.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    private Task<int> InstallAsync(ServiceInstallOptions? options = null) =>
        Installer.InstallAsync(options ?? new ServiceInstallOptions { SourceBinary = _binary }, CancellationToken.None);

    private static void GiveToMonitor(string path)
    {
        using var handle = File.OpenHandle(path);
        FileSystems.Current.SetOwner(handle, 4321, 4322, path);
    }

    private static void WriteConfig(string path, string json, UnixFileMode mode = InstallFiles.Mode0600)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.SetUnixFileMode(Path.GetDirectoryName(path)!, InstallFiles.Mode0755); // whatever the umask
        File.WriteAllText(path, json);
        File.SetUnixFileMode(path, mode);
    }
}

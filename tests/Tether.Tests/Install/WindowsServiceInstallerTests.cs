using Tether.Install;
using Tether.Platform.ServiceHost;

namespace Tether.Tests.Install;

/// <summary>
/// The Windows install against <see cref="FakeServiceControlManager"/>, in a temp folder standing
/// for <c>%ProgramFiles%</c> (named "Program Files": the spaces must survive the quoting) and
/// <c>%ProgramData%</c>.
/// </summary>
public sealed class WindowsServiceInstallerTests : IDisposable
{
    private const string Config = """{"clientId":"win-01","serverUrl":"https://dash.example.com","authToken":"secret-token"}""";

    private readonly TempDirectory _dir = new("tether-wininstall-");
    private readonly WindowsServiceLayout _layout;
    private readonly FakeServiceControlManager _scm = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly string _binary;

    public WindowsServiceInstallerTests()
    {
        _layout = new WindowsServiceLayout(_dir.Join("Program Files"), _dir.Join("ProgramData"), _dir.Join("System32"));
        Directory.CreateDirectory(_dir.Join("build"));
        _binary = _dir.Write("build/tether.exe", "the agent binary v1");
    }

    private WindowsServiceInstaller Installer => new(_layout, _scm, _scm, _output, _error, TimeSpan.FromSeconds(5));

    private string BinPath => WindowsServiceLayout.BinPath(_layout.BinaryPath, _layout.DefaultConfigPath);

    [Fact]
    public async Task Install_Fresh_CopiesTheBinary_CreatesTheServiceWithItsFailureActions_AndStartsIt()
    {
        WriteDefaultConfig();

        int code = await InstallAsync();

        Assert.True(code == 0, _error.ToString());
        Assert.Equal("the agent binary v1", File.ReadAllText(_layout.BinaryPath));
        Assert.Equal(
            [
                "sc.exe create Tether binPath= " + BinPath + " start= auto DisplayName= Tether",
                "sc.exe description Tether Tether host agent for the dashboard",
                "sc.exe failure Tether reset= 86400 actions= restart/5000/restart/5000/restart/60000",
                "sc.exe failureflag Tether 1",
                "sc.exe start Tether",
            ],
            _scm.Issued);
        Assert.Contains("\\Program Files\\Tether\\tether.exe\" run --service --config \"", BinPath.Replace('/', '\\'), StringComparison.Ordinal);
        Assert.Equal("RUNNING", _scm.State);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_layout.BinaryPath)!, "*.tmp"));
    }

    [Fact]
    public async Task Install_Twice_TheSecondChangesNothing_AndSaysSo()
    {
        WriteDefaultConfig();
        Assert.Equal(0, await InstallAsync());
        int before = _scm.Issued.Count;

        Assert.Equal(0, await InstallAsync());

        Assert.Equal(["sc.exe query Tether"], _scm.Issued.Skip(before));
        Assert.Contains("already installed, nothing changed", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_WithAnotherConfigPath_ChangesTheCommandLine_AndRestartsTheService()
    {
        WriteDefaultConfig();
        Assert.Equal(0, await InstallAsync());
        Directory.CreateDirectory(_dir.Join("Ops Team"));
        string other = _dir.Write("Ops Team/agent config.json", Config);
        int before = _scm.Issued.Count;

        Assert.Equal(0, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, ConfigPath = other }));

        string binPath = WindowsServiceLayout.BinPath(_layout.BinaryPath, other);
        Assert.Equal(["sc.exe query Tether", "sc.exe config Tether binPath= " + binPath + " start= auto", "sc.exe stop Tether", "sc.exe query Tether", "sc.exe start Tether"], _scm.Issued.Skip(before));
        Assert.Equal(binPath, _scm.Service!.ImagePath);
        Assert.Equal("RUNNING", _scm.State);
    }

    [Fact]
    public async Task Install_ANewBinary_StopsTheServiceBeforeReplacingIt_ThenStartsIt()
    {
        WriteDefaultConfig();
        Assert.Equal(0, await InstallAsync());
        File.WriteAllText(_binary, "the agent binary v2");
        int before = _scm.Issued.Count;

        Assert.Equal(0, await InstallAsync());

        Assert.Equal("the agent binary v2", File.ReadAllText(_layout.BinaryPath));
        Assert.Equal(["sc.exe query Tether", "sc.exe stop Tether", "sc.exe query Tether", "sc.exe start Tether"], _scm.Issued.Skip(before));
    }

    [Fact]
    public async Task Install_FromTheInstalledBinary_CopiesNothing()
    {
        WriteDefaultConfig();
        Directory.CreateDirectory(Path.GetDirectoryName(_layout.BinaryPath)!);
        File.Copy(_binary, _layout.BinaryPath);
        File.SetLastWriteTimeUtc(_layout.BinaryPath, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(0, await InstallAsync(new ServiceInstallOptions { SourceBinary = _layout.BinaryPath }));

        Assert.DoesNotContain("copied", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(_layout.BinaryPath));
    }

    [Fact]
    public async Task Install_InstalledButStopped_StartsIt()
    {
        WriteDefaultConfig();
        Assert.Equal(0, await InstallAsync());
        _scm.State = "STOPPED";
        int before = _scm.Issued.Count;

        Assert.Equal(0, await InstallAsync());

        Assert.Equal(["sc.exe query Tether", "sc.exe start Tether"], _scm.Issued.Skip(before));
        Assert.Contains("already installed, but not running (STOPPED): starting it", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_OverAServiceMadeWithoutTheFailureFlag_SetsOnlyTheFlag()
    {
        WriteDefaultConfig();
        Assert.Equal(0, await InstallAsync());
        _scm.Service = _scm.Service! with { FailureActionsOnNonCrashFailures = false };
        int before = _scm.Issued.Count;

        Assert.Equal(0, await InstallAsync());

        Assert.Equal(["sc.exe query Tether", "sc.exe failureflag Tether 1"], _scm.Issued.Skip(before));
    }

    [Fact]
    public async Task Install_WhenTheFailureFlagFails_WarnsThatTheUpdateWillNotRestart_ButInstalls()
    {
        WriteDefaultConfig();
        _scm.Fail = ("failureflag", 1639);

        Assert.Equal(0, await InstallAsync());

        Assert.Contains("will not restart after a self-update stops it with exit code 75", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal("RUNNING", _scm.State);
    }

    [Fact]
    public async Task Install_WhenCreateFails_ExitsOne_WithScsAnswer()
    {
        WriteDefaultConfig();
        _scm.Fail = ("create", 5);

        Assert.Equal(1, await InstallAsync());

        Assert.Contains("create Tether binPath= ", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("failed (exit 5): failed by the test", _error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_scm.Issued, c => c.StartsWith("sc.exe start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Install_WithoutAConfig_MakesTheFolderForSystemAndAdministratorsOnly_AndRefusesNamingTheFile()
    {
        Assert.Equal(2, await InstallAsync());

        string folder = Path.GetDirectoryName(_layout.DefaultConfigPath)!;
        Assert.True(Directory.Exists(folder));
        Assert.Equal(["icacls.exe " + folder + " /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F"], _scm.Issued);
        Assert.Contains($"no config at {_layout.DefaultConfigPath}", _error.ToString(), StringComparison.Ordinal);
        Assert.Null(_scm.Service);
    }

    [Fact]
    public async Task Install_WithAnInvalidConfig_IsAUsageError_AndChangesNothing()
    {
        string config = _dir.Write("bad.json", """{"clientId":"win-01"}""");

        Assert.Equal(2, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, ConfigPath = config }));

        Assert.Empty(_scm.Issued);
        Assert.False(File.Exists(_layout.BinaryPath));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Install_WithUserOrMonitorOnly_IsAUsageError(bool user, bool monitorOnly)
    {
        WriteDefaultConfig();

        Assert.Equal(2, await InstallAsync(new ServiceInstallOptions { SourceBinary = _binary, User = user ? "monitor" : null, MonitorOnly = monitorOnly }));

        Assert.Contains("not supported on Windows", _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_scm.Issued);
    }

    [Fact]
    public async Task Uninstall_StopsAndDeletesTheService_AndLeavesTheFiles()
    {
        WriteDefaultConfig();
        Assert.Equal(0, await InstallAsync());
        int before = _scm.Issued.Count;

        Assert.Equal(0, await Installer.UninstallAsync(CancellationToken.None));

        Assert.Equal(["sc.exe query Tether", "sc.exe stop Tether", "sc.exe query Tether", "sc.exe delete Tether"], _scm.Issued.Skip(before));
        Assert.Null(_scm.Service);
        Assert.True(File.Exists(_layout.BinaryPath));
        Assert.True(File.Exists(_layout.DefaultConfigPath));
        Assert.Equal(0, await Installer.UninstallAsync(CancellationToken.None));
        Assert.Contains("not installed (no service Tether), nothing to do", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Is0Running_3Stopped_4NotInstalled()
    {
        Assert.Equal(4, await Installer.StatusAsync(CancellationToken.None));
        WriteDefaultConfig();
        Assert.Equal(0, await InstallAsync());

        Assert.Equal(0, await Installer.StatusAsync(CancellationToken.None));
        _scm.State = "STOPPED";
        Assert.Equal(3, await Installer.StatusAsync(CancellationToken.None));
        Assert.Contains("binary: " + _layout.BinaryPath + " version 1.2.3", _output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Task<int> InstallAsync(ServiceInstallOptions? options = null) =>
        Installer.InstallAsync(options ?? new ServiceInstallOptions { SourceBinary = _binary }, CancellationToken.None);

    private void WriteDefaultConfig()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_layout.DefaultConfigPath)!);
        File.WriteAllText(_layout.DefaultConfigPath, Config);
    }
}

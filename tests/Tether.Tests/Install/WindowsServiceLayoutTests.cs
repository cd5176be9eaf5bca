using System.Buffers.Binary;
using Tether.Install;
using Tether.Platform.ServiceHost;

namespace Tether.Tests.Install;

/// <summary>The sc.exe command lines of the Windows install, and the parsing of what Windows answers.</summary>
public sealed class WindowsServiceLayoutTests
{
    private static readonly WindowsServiceLayout Layout = new(@"C:\Program Files", @"C:\ProgramData", @"C:\Windows\System32");

    [Fact]
    public void BinPath_QuotesBothPaths_SoThatFoldersWithSpacesStayOneWord()
    {
        Assert.Equal(
            "\"C:\\Program Files\\Tether\\tether.exe\" run --service --config \"C:\\Users\\Ops Team\\agent config.json\"",
            WindowsServiceLayout.BinPath(@"C:\Program Files\Tether\tether.exe", @"C:\Users\Ops Team\agent config.json"));
        Assert.Throws<ArgumentException>(() => WindowsServiceLayout.BinPath("C:\\a\"b.exe", @"C:\c.json"));
    }

    [Fact]
    public void Commands_RunScByItsFullPath_WithEachValueAfterItsKeyword()
    {
        string binPath = WindowsServiceLayout.BinPath(@"C:\Program Files\Tether\tether.exe", @"C:\ProgramData\Tether\agent-config.json");

        var create = Layout.Create(binPath);

        Assert.Equal(Path.Join(@"C:\Windows\System32", "sc.exe"), create.Program);
        Assert.Equal(["create", "Tether", "binPath=", binPath, "start=", "auto", "DisplayName=", "Tether"], create.Arguments);
        Assert.Equal(["config", "Tether", "binPath=", binPath, "start=", "auto"], Layout.Config(binPath).Arguments);
        Assert.Equal(["failure", "Tether", "reset=", "86400", "actions=", "restart/5000/restart/5000/restart/60000"], Layout.Failure().Arguments);
        Assert.Equal(["failureflag", "Tether", "1"], Layout.FailureFlag().Arguments);
        Assert.Equal(["query", "Tether"], Layout.Query().Arguments);
        Assert.Equal(Path.Join(@"C:\Windows\System32", "icacls.exe"), Layout.RestrictFolder(@"C:\ProgramData\Tether").Program);
        Assert.Equal([@"C:\ProgramData\Tether", "/inheritance:r", "/grant:r", "*S-1-5-18:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F"], Layout.RestrictFolder(@"C:\ProgramData\Tether").Arguments);
    }

    [Fact]
    public void Paths_AreTheDocumentedOnes()
    {
        Assert.Equal(Path.Join(@"C:\Program Files", "Tether", "tether.exe"), Layout.BinaryPath);
        Assert.Equal(Path.Join(@"C:\ProgramData", "Tether", "agent-config.json"), Layout.DefaultConfigPath);
    }

    [Theory]
    [InlineData("\nSERVICE_NAME: Tether\n        TYPE               : 10  WIN32_OWN_PROCESS\n        STATE              : 4  RUNNING\n                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)\n", "RUNNING")]
    [InlineData("SERVICE_NAME: Tether\r\n        TYPE               : 10  WIN32_OWN_PROCESS\r\n        STATE              : 1  STOPPED\r\n        WIN32_EXIT_CODE    : 1066  (0x42a)\r\n", "STOPPED")]
    [InlineData("        STATE              : 3  STOP_PENDING\n", "STOP_PENDING")]
    [InlineData("[SC] OpenService FAILED 1060:\n", null)]
    public void ParseState_ReadsTheStateWord(string output, string? state) =>
        Assert.Equal(state, WindowsServiceLayout.ParseState(output));

    [Fact]
    public void ParseFailureActions_ReadsTheRegistryValue()
    {
        var value = new byte[20 + (3 * 8)];
        BinaryPrimitives.WriteInt32LittleEndian(value, 86400);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(12), 3);
        int[] delays = [5000, 5000, 60000];
        for (int i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(20 + (i * 8)), 1);
            BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(24 + (i * 8)), delays[i]);
        }

        var (reset, actions) = ServiceFailureActions.Parse(value);

        Assert.Equal(86400, reset);
        Assert.Equal(WindowsServiceLayout.FailureActions, actions);
        Assert.Equal((null, []), ServiceFailureActions.Parse(null));
        Assert.Empty(ServiceFailureActions.Parse(value[..27]).Actions); // cut short: no whole action
    }
}

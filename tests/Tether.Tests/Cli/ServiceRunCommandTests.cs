using Tether.Cli;

namespace Tether.Tests.Cli;

public sealed class ServiceRunCommandTests
{
    [Fact]
    public async Task Service_OffWindows_ExitsTwoWithAMessageNamingTheFlag()
    {
        var error = new StringWriter();

        int code = await ServiceRunCommand.ExecuteAsync(configPath: null, insecure: null, logLevel: null, error);

        Assert.Equal(2, code);
        Assert.Contains("--service is only for the Windows Service Control Manager", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DataDirectory_IsTetherUnderProgramData()
    {
        Assert.Equal(Path.Join("programdata", "Tether"), ServiceRunCommand.DataDirectory("programdata"));
    }
}

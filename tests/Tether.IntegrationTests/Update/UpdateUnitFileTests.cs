using Tether.IntegrationTests.Infrastructure;
using Tether.Update;

namespace Tether.IntegrationTests.Update;

/// <summary>The systemd unit restarts the exit code an update or a rollback ends with (docs/protocol.md §10).</summary>
public sealed class UpdateUnitFileTests
{
    [Fact]
    public void SystemdUnit_RestartsTheUpdatesExitCode_AndDoesNotPreventIt()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "packaging", "systemd", "tether.service"))
            .Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToLookup(p => p[0].Trim(), p => p[1].Trim());
        string code = UpdateRuntime.RestartExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(code, lines["RestartForceExitStatus"].Single());
        Assert.Equal("on-failure", lines["Restart"].Single());
        Assert.DoesNotContain(code, lines["RestartPreventExitStatus"].Single().Split(' '));
    }
}

using Tether.Config;

namespace Tether.Tests.Config;

/// <summary>The <c>stats</c> section: excludeMounts, sensors, containers (docs/protocol.md §7).</summary>
public sealed class StatsSettingsConfigTests : IDisposable
{
    private const string Head = "\"clientId\":\"c\",\"serverUrl\":\"https://x.example\",\"authToken\":\"t\"";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigLoadResult Load(string stats)
    {
        _dir.Write("agent-config.json", $"{{{Head},\"stats\":{stats}}}");
        // The file holds authToken: owner-only, or the loader warns (docs/protocol.md §7).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.Join("agent-config.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return ConfigLoader.Load(new ConfigSources { Environment = new Dictionary<string, string?>(), WorkingDirectory = _dir.Path, HomeDirectory = "/home/agent" });
    }

    [Fact]
    public void Defaults_AllSensorsNoExclusionsContainersAuto()
    {
        var result = Load("{}");

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Config!.Stats.ExcludeMounts);
        Assert.Empty(result.Config!.Stats.Sensors);
        Assert.True(result.Config!.Stats.Containers);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void FullSection_IsRead()
    {
        var result = Load("""{"excludeMounts":["/snap/**","/boot/efi"],"sensors":["coretemp/*","!*/Core *"],"containers":"off"}""");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["/snap/**", "/boot/efi"], result.Config!.Stats.ExcludeMounts);
        Assert.Equal(["coretemp/*", "!*/Core *"], result.Config!.Stats.Sensors);
        Assert.False(result.Config!.Stats.Containers);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("""{"containers":"on"}""", "stats.containers must be \"auto\" or \"off\"")]
    [InlineData("""{"containers":true}""", "stats.containers")]
    [InlineData("""{"excludeMounts":["snap"]}""", "stats.excludeMounts entries must be absolute")]
    [InlineData("""{"excludeMounts":"/snap"}""", "stats.excludeMounts must be an array")]
    [InlineData("""{"sensors":["!"]}""", "stats.sensors entries must be non-empty globs")]
    [InlineData("""{"sensors":[""]}""", "stats.sensors[0] must be a non-empty string")]
    public void BadValues_AreExit2Errors(string stats, string expected)
    {
        var result = Load(stats);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKey_InStats_IsAWarning()
    {
        var result = Load("""{"sensor":["x"]}""");

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(result.Warnings, w => w.Contains("stats.sensor", StringComparison.Ordinal));
    }
}

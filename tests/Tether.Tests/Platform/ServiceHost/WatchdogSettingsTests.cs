using Tether.Platform.ServiceHost;

namespace Tether.Tests.Platform.ServiceHost;

public sealed class WatchdogSettingsTests
{
    private const int Self = 4242;

    [Fact]
    public void TryParse_NoWatchdogUsec_IsOff()
    {
        Assert.True(WatchdogSettings.TryParse(null, null, Self, out TimeSpan? interval, out _));
        Assert.Null(interval);
    }

    [Fact]
    public void TryParse_Usec_PingsAtHalfTheTimeout()
    {
        Assert.True(WatchdogSettings.TryParse("30000000", null, Self, out TimeSpan? interval, out _));
        Assert.Equal(TimeSpan.FromSeconds(15), interval);
    }

    [Fact]
    public void TryParse_PidIsOurs_IsOn()
    {
        Assert.True(WatchdogSettings.TryParse("1000000", "4242", Self, out TimeSpan? interval, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(500), interval);
    }

    [Fact]
    public void TryParse_PidIsAnotherProcess_IsOffWithoutAnError()
    {
        Assert.True(WatchdogSettings.TryParse("1000000", "1", Self, out TimeSpan? interval, out string? error));
        Assert.Null(interval);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("30s", null)]
    [InlineData("1000000", "abc")]
    [InlineData("1000000", "0")]
    public void TryParse_Malformed_IsOffWithAReason(string usec, string? pid)
    {
        Assert.False(WatchdogSettings.TryParse(usec, pid, Self, out TimeSpan? interval, out string? error));
        Assert.Null(interval);
        Assert.Contains("WATCHDOG_", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TinyAndHugeTimeouts_AreClampedToWhatATimerTakes()
    {
        Assert.True(WatchdogSettings.TryParse("1", null, Self, out TimeSpan? tiny, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(1), tiny);
        Assert.True(WatchdogSettings.TryParse(ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), null, Self, out TimeSpan? huge, out _));
        Assert.Equal(TimeSpan.FromDays(1), huge);
    }
}

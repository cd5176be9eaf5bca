using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

public sealed class UptimeParserTests
{
    [Fact]
    public void TryParse_KernelFormat_ReadsSecondsSinceBoot()
    {
        Assert.True(UptimeParser.TryParse("414.98 629.41\n"u8, out double seconds));

        Assert.Equal(414.98, seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("abc 1.0\n")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(UptimeParser.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out _));
    }
}

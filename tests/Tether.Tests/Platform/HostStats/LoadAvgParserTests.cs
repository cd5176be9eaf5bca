using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

public sealed class LoadAvgParserTests
{
    [Fact]
    public void TryParse_KernelFormat_ReadsThreeAverages()
    {
        Assert.True(LoadAvgParser.TryParse("6.23 1.82 0.65 4/226 4986\n"u8, out var load));

        Assert.Equal(new LoadAverage(6.23, 1.82, 0.65), load);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0.10 0.20\n")]
    [InlineData("0,10 0,20 0,30 1/2 3\n")]
    [InlineData("-1.0 0.2 0.3 1/2 3\n")]
    public void TryParse_MissingOrMalformed_ReturnsFalse(string text)
    {
        Assert.False(LoadAvgParser.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out _));
    }
}

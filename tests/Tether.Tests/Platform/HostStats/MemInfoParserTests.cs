using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

public sealed class MemInfoParserTests
{
    [Fact]
    public void TryParse_ModernKernel_UsesMemAvailableInBytes()
    {
        var text = """
            MemTotal:       24683620 kB
            MemFree:        23713508 kB
            MemAvailable:   23847224 kB
            Buffers:            3924 kB
            Cached:           527824 kB
            """u8;

        Assert.True(MemInfoParser.TryParse(text, out var memory));

        Assert.Equal(new MemoryInfo(24683620UL * 1024, 23847224UL * 1024), memory);
    }

    [Fact]
    public void TryParse_KernelBefore314_FallsBackToFreePlusBuffersPlusCached()
    {
        var text = """
            MemTotal:        1000 kB
            MemFree:          100 kB
            Buffers:           20 kB
            Cached:           300 kB
            SwapCached:         5 kB
            """u8;

        Assert.True(MemInfoParser.TryParse(text, out var memory));

        Assert.Equal(new MemoryInfo(1000 * 1024, 420 * 1024), memory);
    }

    [Theory]
    [InlineData("MemFree: 100 kB\nMemAvailable: 200 kB\n")]
    [InlineData("MemTotal: 1000 kB\nMemFree: 100 kB\n")]
    [InlineData("MemTotal: lots kB\nMemAvailable: 200 kB\n")]
    [InlineData("")]
    public void TryParse_RequiredFieldMissing_ReturnsFalse(string text)
    {
        Assert.False(MemInfoParser.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out _));
    }
}

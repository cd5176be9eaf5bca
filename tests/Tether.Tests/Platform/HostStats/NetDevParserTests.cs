using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

public sealed class NetDevParserTests
{
    private const string Header = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed

        """;

    [Fact]
    public void TryParse_SkipsLoopbackAndSumsTheRest()
    {
        var text = Header + """
                lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
              ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
              eth0: 129793911    4192    0    0    0     0          0         0   231398    3051    0    0    0     0       0          0
              eth1:      100       1    0    0    0     0          0         0       50       1    0    0    0     0       0          0

            """;

        Assert.True(NetDevParser.TryParse(Bytes(text), out var counters));

        Assert.Equal(new NetworkCounters(129793911 + 100, 231398 + 50), counters);
    }

    [Fact]
    public void TryParse_CounterGluedToColon_NameEndsAtColon()
    {
        // Old kernels print "%6s:%8llu": a counter wider than 8 digits touches the colon.
        var text = Header + """
            eth0:123456789012    4192    0    0    0     0          0         0 98765432101    3051    0    0    0     0       0          0
            """;

        Assert.True(NetDevParser.TryParse(Bytes(text), out var counters));

        Assert.Equal(new NetworkCounters(123456789012, 98765432101), counters);
    }

    [Fact]
    public void TryParse_LoopbackGluedToColon_IsStillSkipped()
    {
        var text = Header + """
            lo:123456789012 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0
            """;

        Assert.True(NetDevParser.TryParse(Bytes(text), out var counters));

        Assert.Equal(default, counters);
    }

    [Fact]
    public void TryParse_VeryLargeCounters_ParseWithoutOverflow()
    {
        var text = Header + """
              eth0: 18446744073709551615 1 0 0 0 0 0 0 18446744073709551614 1 0 0 0 0 0 0
            """;

        Assert.True(NetDevParser.TryParse(Bytes(text), out var counters));

        Assert.Equal(new NetworkCounters(ulong.MaxValue, ulong.MaxValue - 1), counters);
    }

    [Fact]
    public void TryParse_OnlyLoopback_ReturnsZeroTotals()
    {
        var text = Header + "    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0\n";

        Assert.True(NetDevParser.TryParse(Bytes(text), out var counters));

        Assert.Equal(new NetworkCounters(0, 0), counters);
    }

    [Theory]
    [InlineData("  eth0: 1 2 3 4 5 6 7\n")]
    [InlineData("  eth0: 1 2 3 4 5 6 7 8 nine 10 11 12 13 14 15 16\n")]
    [InlineData("  eth0: x 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]
    [InlineData("    : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]
    [InlineData("  eth0: 18446744073709551616 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]
    public void TryParse_MalformedInterfaceLine_ReturnsFalse(string line)
    {
        Assert.False(NetDevParser.TryParse(Bytes(Header + line), out _));
    }

    [Fact]
    public void TryParse_NotANetDevFile_ReturnsFalse()
    {
        Assert.False(NetDevParser.TryParse(""u8, out _));
        Assert.False(NetDevParser.TryParse("MemTotal: 1 kB\n"u8, out _));
    }

    private static byte[] Bytes(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}

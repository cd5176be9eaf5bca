using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

public sealed class ProcStatParserTests
{
    [Fact]
    public void TryParse_ModernKernel_SumsBusyAndIdleWithoutGuest()
    {
        var text = """
            cpu  13617 5 5849 62941 231 7 153 11 900 3
            cpu0 6700 0 2772 31832 20 0 61 0 0 0
            intr 123 0 9
            """u8;

        Assert.True(ProcStatParser.TryParse(text, out var times));

        // user+nice+system+irq+softirq+steal; guest columns are already inside user/nice.
        Assert.Equal(new CpuTimes(Busy: 13617 + 5 + 5849 + 7 + 153 + 11, Idle: 62941 + 231), times);
    }

    [Fact]
    public void TryParse_OldKernelWithFourColumns_TreatsMissingAsZero()
    {
        Assert.True(ProcStatParser.TryParse("cpu 10 20 30 40\n"u8, out var times));

        Assert.Equal(new CpuTimes(60, 40), times);
    }

    [Fact]
    public void TryParse_AggregateLineNotFirst_StillFound()
    {
        Assert.True(ProcStatParser.TryParse("cpu0 1 1 1 1\ncpu 2 2 2 2\n"u8, out var times));

        Assert.Equal(new CpuTimes(6, 2), times);
    }

    [Fact]
    public void TryParse_CountersNearUInt64Max_ParseExactly()
    {
        Assert.True(ProcStatParser.TryParse("cpu 18446744073709551000 0 0 615\n"u8, out var times));

        Assert.Equal(18446744073709551000UL, times.Busy);
        Assert.Equal(615UL, times.Idle);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cpu 1 2 3\n")]
    [InlineData("cpu 1 2 x 4\n")]
    [InlineData("cpu0 1 2 3 4\n")]
    [InlineData("cpu 1 2 3 99999999999999999999\n")]
    public void TryParse_MissingOrMalformed_ReturnsFalse(string text)
    {
        Assert.False(ProcStatParser.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out _));
    }
}

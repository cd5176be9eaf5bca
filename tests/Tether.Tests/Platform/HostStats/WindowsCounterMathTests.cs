using Microsoft.Extensions.Time.Testing;
using Tether.Platform.HostStats;
using Tether.Telemetry;
using Tether.Tests.Telemetry;

namespace Tether.Tests.Platform.HostStats;

public sealed class WindowsCounterMathTests
{
    [Theory]
    [InlineData(0u, 0u, 0ul)]
    [InlineData(0xFFFF_FFFFu, 0u, 0xFFFF_FFFFul)]
    [InlineData(0u, 1u, 0x1_0000_0000ul)]
    [InlineData(0x89AB_CDEFu, 0x0123_4567u, 0x0123_4567_89AB_CDEFul)]
    public void FileTimeTicks_JoinsHighAndLowHalves(uint low, uint high, ulong expected)
    {
        Assert.Equal(expected, WindowsCounterMath.FileTimeTicks(low, high));
    }

    [Fact]
    public void CpuTimes_KernelTimeIncludesIdle_SoBusySubtractsIt()
    {
        // 4 cores for 1 s = 40,000,000 ticks: 30,000,000 idle, 35,000,000 kernel (idle included), 5,000,000 user.
        var times = WindowsCounterMath.CpuTimes(idle: 30_000_000, kernel: 35_000_000, user: 5_000_000);

        Assert.Equal(new CpuTimes(Busy: 10_000_000, Idle: 30_000_000), times);
    }

    [Fact]
    public void CpuTimes_KernelBelowIdle_CountsNoKernelWorkInsteadOfWrapping()
    {
        Assert.Equal(new CpuTimes(Busy: 7, Idle: 100), WindowsCounterMath.CpuTimes(idle: 100, kernel: 90, user: 7));
    }

    [Fact]
    public void CpuTimes_ThroughStatsCollector_GiveBusyShareOfTheInterval()
    {
        var host = new FakeHostStats { Cpu = WindowsCounterMath.CpuTimes(idle: 1000, kernel: 1500, user: 500) };
        var collector = new StatsCollector(host, new FakeTimeProvider(), "0.0.0");
        collector.Sample(null);

        // Interval: idle +300, kernel +400 (of which 300 idle), user +200 -> busy 300 of 600.
        host.Cpu = WindowsCounterMath.CpuTimes(idle: 1300, kernel: 1900, user: 700);

        Assert.Equal(50.0, collector.Sample(null).Cpu);
    }

    [Fact]
    public void FileSystemSpace_QuotaLimitedCaller_UsesCallerFreeAsFreeAndVolumeFreeForUsed()
    {
        var host = new FakeHostStats { Space = WindowsCounterMath.FileSystemSpace(totalBytes: 1000, totalFreeBytes: 400, freeBytesAvailableToCaller: 100) };

        DiskStats disk = new StatsCollector(host, new FakeTimeProvider(), "0.0.0").Sample(null).Disk;

        Assert.Equal(1000ul, disk.TotalBytes);
        Assert.Equal(600ul, disk.UsedBytes);
        Assert.Equal(100ul, disk.FreeBytes);
        Assert.Equal(85.7, disk.Percent);
    }

    [Theory]
    [InlineData(0ul, 0.0)]
    [InlineData(1500ul, 1.5)]
    [InlineData(86_400_000ul, 86_400.0)]
    public void UptimeSeconds_IsMillisecondsOverThousand(ulong ticks, double expected)
    {
        Assert.Equal(expected, WindowsCounterMath.UptimeSeconds(ticks));
    }

    [Theory]
    [InlineData(6u, 0x00, true)] // Ethernet
    [InlineData(71u, 0x01, true)] // Wi-Fi, hardware interface
    [InlineData(24u, 0x00, false)] // software loopback
    [InlineData(6u, 0x02, false)] // NDIS filter stacked on an Ethernet adapter (WFP, QoS)
    [InlineData(6u, 0x03, false)]
    public void CountsTowardsNetwork_SkipsLoopbackAndFilterInterfaces(uint type, byte flags, bool expected)
    {
        Assert.Equal(expected, WindowsCounterMath.CountsTowardsNetwork(type, flags));
    }
}

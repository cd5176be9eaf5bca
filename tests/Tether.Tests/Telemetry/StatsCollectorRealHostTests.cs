using System.Runtime.Versioning;
using Tether.Platform.HostStats;
using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

/// <summary>The whole pipeline on this Linux machine, checked against /proc read naively.</summary>
[SupportedOSPlatform("linux")]
public sealed class StatsCollectorRealHostTests
{
    [Fact]
    public void TwoSamples_OnThisHost_AreInRangeAndAgreeWithProc()
    {
        var collector = new StatsCollector(HostStatsFactory.Create(), TimeProvider.System, "0.0.0-test");

        var first = collector.Sample(null);
        var second = collector.Sample(3.5);

        foreach (var data in new[] { first, second })
        {
            Assert.InRange(data.Cpu, 0, 100);
            Assert.InRange(data.Mem, 0.1, 100);
            Assert.NotNull(data.Load);
            Assert.Equal(3, data.Load.Count);
            Assert.True(data.Disk.TotalBytes > 0);
            Assert.Equal("/", data.Disk.Path);
            Assert.Equal(data.Disk.Percent, data.DiskPercent);
            Assert.InRange(data.Disk.Percent, 0, 100);
            Assert.True(data.UptimeSec > 0);
            Assert.Equal(Environment.ProcessorCount, data.CpuCount);
            Assert.Equal("linux", data.Os);
        }

        // A whole-boot average is busy > 0 on any machine that has run this test host.
        Assert.True(first.Cpu > 0);
        Assert.True(second.Net.RxBytes >= first.Net.RxBytes);
        Assert.True(second.Net.RxBytesPerSec >= 0 && second.Net.TxBytesPerSec >= 0);
        Assert.Equal(3.5, second.NetLatencyMs);

        double procUptime = ProcFs.UptimeSeconds();
        Assert.InRange(second.UptimeSec, (long)procUptime - 5, (long)procUptime);

        ulong memTotalKib = ProcFs.MemInfoKib("MemTotal");
        ulong memAvailableKib = ProcFs.MemInfoKib("MemAvailable");
        double expectedMem = (memTotalKib - memAvailableKib) * 100.0 / memTotalKib;
        Assert.InRange(second.Mem, expectedMem - 5, expectedMem + 5);

        // The host lives between the sample's statvfs and ours (a block allocated, the size grown by
        // one block): compare with a tolerance of 64 MiB, far below any real error (a wrong unit or a
        // wrong file system is off by gigabytes or a factor).
        const ulong Tolerance = 64UL << 20;
        var drive = new DriveInfo("/");
        Assert.InRange(second.Disk.TotalBytes, (ulong)drive.TotalSize - Tolerance, (ulong)drive.TotalSize + Tolerance);
        ulong sum = second.Disk.UsedBytes + second.Disk.FreeBytes + ReservedBytes(drive);
        Assert.InRange(sum, second.Disk.TotalBytes - Tolerance, second.Disk.TotalBytes + Tolerance);
    }

    // df's used + avail leaves out root's reserve (bfree - bavail), which DriveInfo exposes.
    private static ulong ReservedBytes(DriveInfo drive) => (ulong)(drive.TotalFreeSpace - drive.AvailableFreeSpace);
}

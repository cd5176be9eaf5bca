using System.Runtime.Versioning;
using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

/// <summary>Reads this machine's real /proc and compares with an independent, naive reading.</summary>
[SupportedOSPlatform("linux")]
public sealed class LinuxHostStatsTests
{
    private readonly LinuxHostStats _stats = new();

    [Fact]
    public void HostStatsFactory_OnLinux_CreatesLinuxHostStats()
    {
        Assert.IsType<LinuxHostStats>(HostStatsFactory.Create());
    }

    [Fact]
    public void TryReadMemory_MatchesProcMeminfo()
    {
        Assert.True(_stats.TryReadMemory(out var memory));

        Assert.Equal(ProcFs.MemInfoKib("MemTotal") * 1024, memory.TotalBytes);
        Assert.InRange(memory.AvailableBytes, 1UL, memory.TotalBytes);
    }

    [Fact]
    public void TryReadCpuTimes_LiesBetweenTwoIndependentReadings()
    {
        var (busyBefore, idleBefore) = ProcFs.CpuTicks();
        Assert.True(_stats.TryReadCpuTimes(out var times));
        var (busyAfter, idleAfter) = ProcFs.CpuTicks();

        Assert.InRange(times.Busy, busyBefore, busyAfter);
        Assert.InRange(times.Idle, idleBefore, idleAfter);
    }

    [Fact]
    public void TryReadNetworkCounters_LiesBetweenTwoIndependentReadings()
    {
        var before = ProcFs.NetworkBytesWithoutLoopback();
        Assert.True(_stats.TryReadNetworkCounters(out var counters));
        var after = ProcFs.NetworkBytesWithoutLoopback();

        Assert.InRange(counters.RxBytes, before.Rx, after.Rx);
        Assert.InRange(counters.TxBytes, before.Tx, after.Tx);
    }

    [Fact]
    public void TryReadUptime_LiesBetweenTwoIndependentReadings()
    {
        double before = ProcFs.UptimeSeconds();
        Assert.True(_stats.TryReadUptime(out double uptime));
        double after = ProcFs.UptimeSeconds();

        Assert.InRange(uptime, before, after);
        Assert.True(uptime > 0);
    }

    [Fact]
    public void TryReadLoadAverage_ReadsThreeNonNegativeValues()
    {
        Assert.True(_stats.TryReadLoadAverage(out var load));

        Assert.True(load.One >= 0 && load.Five >= 0 && load.Fifteen >= 0);
    }

    [Fact]
    public void TryReadFileSystem_Root_MatchesDriveInfo()
    {
        Assert.True(_stats.TryReadFileSystem("/", out var space));

        // DriveInfo goes through statfs in System.Native, a separate path to the same numbers.
        var drive = new DriveInfo("/");
        Assert.True(space.TotalBlocks > 0 && space.FragmentSize > 0);
        Assert.Equal((ulong)drive.TotalSize, space.TotalBlocks * space.FragmentSize);
        Assert.InRange(space.AvailableBlocks, 0UL, space.FreeBlocks);
        Assert.InRange(space.FreeBlocks, 0UL, space.TotalBlocks);
    }

    [Fact]
    public void TryReadFileSystem_MissingPath_ReturnsFalse()
    {
        Assert.False(_stats.TryReadFileSystem("/definitely/not/here", out _));
    }

    [Fact]
    public void ProcRoot_FixtureFiles_AreParsed()
    {
        using var root = new TempDirectory("tether-procroot-");
        Directory.CreateDirectory(root.Join("net"));
        File.WriteAllText(root.Join("stat"), "cpu  1 2 3 4 5 6 7 8 9 10\n");
        File.WriteAllText(root.Join("meminfo"), "MemTotal: 2 kB\nMemAvailable: 1 kB\n");
        File.WriteAllText(root.Join("loadavg"), "0.50 0.25 0.125 1/1 1\n");
        File.WriteAllText(root.Join("uptime"), "12.5 3.0\n");
        File.WriteAllText(root.Join("net", "dev"), "Inter-|\n face |\n  eth0: 7 0 0 0 0 0 0 0 9 0 0 0 0 0 0 0\n");
        var stats = new LinuxHostStats(root.Path);

        Assert.True(stats.TryReadCpuTimes(out var cpu));
        Assert.True(stats.TryReadMemory(out var memory));
        Assert.True(stats.TryReadLoadAverage(out var load));
        Assert.True(stats.TryReadUptime(out double uptime));
        Assert.True(stats.TryReadNetworkCounters(out var net));

        Assert.Equal(new CpuTimes(1 + 2 + 3 + 6 + 7 + 8, 4 + 5), cpu);
        Assert.Equal(new MemoryInfo(2048, 1024), memory);
        Assert.Equal(new LoadAverage(0.5, 0.25, 0.125), load);
        Assert.Equal(12.5, uptime);
        Assert.Equal(new NetworkCounters(7, 9), net);
    }

    [Fact]
    public void ProcRoot_Missing_EveryReadReturnsFalse()
    {
        var stats = new LinuxHostStats("/definitely/not/proc");

        Assert.False(stats.TryReadCpuTimes(out _));
        Assert.False(stats.TryReadMemory(out _));
        Assert.False(stats.TryReadLoadAverage(out _));
        Assert.False(stats.TryReadUptime(out _));
        Assert.False(stats.TryReadNetworkCounters(out _));
    }
}

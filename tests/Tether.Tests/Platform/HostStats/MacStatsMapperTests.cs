using Tether.Platform;
using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

public sealed class MacStatsMapperTests
{
    [Fact]
    public void Memory_AvailableIsFreePlusInactivePages_SpeculativeNotCountedTwice()
    {
        var vm = new Interop.Mach.VmStatistics64 { FreeCount = 1000, InactiveCount = 500, SpeculativeCount = 200, ActiveCount = 4000 };

        var memory = MacStatsMapper.Memory(16UL << 30, vm, 16384);

        Assert.Equal(16UL << 30, memory.TotalBytes);
        Assert.Equal(1500UL * 16384, memory.AvailableBytes);
    }

    [Fact]
    public void Memory_AvailableNeverExceedsTotal()
    {
        var vm = new Interop.Mach.VmStatistics64 { FreeCount = uint.MaxValue, InactiveCount = uint.MaxValue };

        Assert.Equal(1024UL, MacStatsMapper.Memory(1024, vm, 4096).AvailableBytes);
    }

    [Fact]
    public void FileSystem_UsesBlockSizeAsUnit_AndKeepsFreeAndAvailableApart()
    {
        var fs = new Interop.Libc.MacStatfs { f_bsize = 4096, f_blocks = 1UL << 33, f_bfree = 300, f_bavail = 200 };

        Assert.Equal(new FileSystemSpace(4096, 1UL << 33, 300, 200), MacStatsMapper.FileSystem(fs));
    }

    [Fact]
    public void TryUptime_IsNowMinusBootTime()
    {
        var boot = new Interop.Libc.MacTimeval { tv_sec = 1_700_000_000, tv_usec = 500_000 };
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);

        Assert.True(MacStatsMapper.TryUptime(boot, now, out double seconds));
        Assert.Equal(99.5, seconds, 3);
    }

    [Fact]
    public void TryUptime_BootTimeInTheFuture_IsRejected()
    {
        var boot = new Interop.Libc.MacTimeval { tv_sec = 1_700_000_000 };

        Assert.False(MacStatsMapper.TryUptime(boot, DateTimeOffset.FromUnixTimeSeconds(1_600_000_000), out double seconds));
        Assert.Equal(0, seconds);
    }
}

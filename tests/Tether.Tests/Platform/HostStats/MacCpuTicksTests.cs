using Tether.Platform;
using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

public sealed class MacCpuTicksTests
{
    [Fact]
    public void Advance_FirstReading_ReturnsTicksSinceBoot_BusyIsUserSystemNice()
    {
        var ticks = new MacCpuTicks();

        var times = ticks.Advance(Load(user: 100, system: 20, idle: 900, nice: 3));

        Assert.Equal(new CpuTimes(123, 900), times);
    }

    [Fact]
    public void Advance_AcrossA32BitWrap_KeepsCountingUpwards()
    {
        var ticks = new MacCpuTicks();
        ticks.Advance(Load(user: uint.MaxValue - 5, system: 0, idle: uint.MaxValue - 1, nice: 0));

        var times = ticks.Advance(Load(user: 4, system: 0, idle: 8, nice: 0));

        Assert.Equal((ulong)uint.MaxValue + 5, times.Busy);
        Assert.Equal((ulong)uint.MaxValue + 9, times.Idle);
    }

    [Fact]
    public void Advance_SameReadingTwice_DoesNotMove()
    {
        var ticks = new MacCpuTicks();
        var first = ticks.Advance(Load(7, 8, 9, 10));

        Assert.Equal(first, ticks.Advance(Load(7, 8, 9, 10)));
    }

    private static Interop.Mach.HostCpuLoadInfo Load(uint user, uint system, uint idle, uint nice) =>
        new() { User = user, System = system, Idle = idle, Nice = nice };
}

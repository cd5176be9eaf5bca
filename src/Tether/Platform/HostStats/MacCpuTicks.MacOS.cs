namespace Tether.Platform.HostStats;

/// <summary>
/// Widens <c>host_cpu_load_info</c>'s tick counters to 64 bits. They are <c>natural_t</c>
/// (32-bit) sums over all CPUs, so a busy many-core Mac wraps them within weeks; adding each
/// reading's wrapped 32-bit difference keeps the totals monotonic, so StatsCollector's deltas
/// never see a wrap as a reset. A gap of 2^32 ticks between two readings would be lost; the
/// stats loop reads every few seconds.
/// </summary>
/// <remarks>Not thread-safe: one caller advances it.</remarks>
internal sealed class MacCpuTicks
{
    private Interop.Mach.HostCpuLoadInfo _previous;
    private ulong _busy;
    private ulong _idle;

    /// <summary>Takes a reading; busy = user + system + nice, idle = idle (CpuTimes' definition).</summary>
    public CpuTimes Advance(in Interop.Mach.HostCpuLoadInfo ticks)
    {
        unchecked
        {
            _busy += (ulong)(uint)(ticks.User - _previous.User)
                + (uint)(ticks.System - _previous.System)
                + (uint)(ticks.Nice - _previous.Nice);
            _idle += (uint)(ticks.Idle - _previous.Idle);
        }

        _previous = ticks;
        return new CpuTimes(_busy, _idle);
    }
}

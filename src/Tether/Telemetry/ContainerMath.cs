namespace Tether.Telemetry;

/// <summary>
/// The docker CLI's figures from Engine API stats (docs/protocol.md §3 <c>containers</c>). Pure.
/// </summary>
internal static class ContainerMath
{
    /// <summary>
    /// Memory as <c>docker stats</c> shows it: usage minus the inactive file cache
    /// (<c>total_inactive_file</c> on cgroup v1, <c>inactive_file</c> on v2), when that is below usage.
    /// </summary>
    public static ulong MemoryBytes(EngineMemoryStats? memory)
    {
        if (memory is null)
        {
            return 0;
        }

        ulong usage = memory.Usage;
        if (memory.Stats is { } stats)
        {
            if (stats.TryGetValue("total_inactive_file", out ulong v1) && v1 < usage)
            {
                return usage - v1;
            }

            if (stats.TryGetValue("inactive_file", out ulong v2) && v2 < usage)
            {
                return usage - v2;
            }
        }

        return usage;
    }

    /// <summary>
    /// CPU % from the one-shot answer's own <c>precpu_stats</c>, as the docker CLI computes it:
    /// container delta / system delta × online CPUs × 100. Null when the answer carries no
    /// previous reading (one-shot on Docker, always on Podman).
    /// </summary>
    public static double? CpuPercentFromPreCpu(EngineStats stats)
    {
        ulong total = stats.CpuStats?.CpuUsage?.TotalUsage ?? 0;
        ulong preTotal = stats.PreCpuStats?.CpuUsage?.TotalUsage ?? 0;
        ulong system = stats.CpuStats?.SystemCpuUsage ?? 0;
        ulong preSystem = stats.PreCpuStats?.SystemCpuUsage ?? 0;
        if (preTotal == 0 || preSystem == 0 || system <= preSystem || total < preTotal)
        {
            return null;
        }

        double online = OnlineCpus(stats);
        return Round((double)(total - preTotal) / (system - preSystem) * online * 100);
    }

    /// <summary>
    /// CPU % between two samples of one container: its CPU nanoseconds over the elapsed
    /// nanoseconds × 100 (100 per busy core). This is the docker CLI's formula with the system
    /// delta written as elapsed × online CPUs, which also holds on Podman, whose
    /// <c>system_cpu_usage</c> is not the host's. A counter that went back (a restarted
    /// container) gives null: a new baseline.
    /// </summary>
    public static double? CpuPercentBetween(ulong previousTotalNs, ulong totalNs, TimeSpan elapsed)
    {
        if (totalNs < previousTotalNs || elapsed <= TimeSpan.Zero)
        {
            return null;
        }

        return Round((totalNs - previousTotalNs) / (elapsed.TotalMilliseconds * 1_000_000) * 100);
    }

    /// <summary>Bytes received and sent, summed over the container's interfaces.</summary>
    public static (ulong Rx, ulong Tx) NetworkBytes(EngineStats stats)
    {
        ulong rx = 0, tx = 0;
        if (stats.Networks is { } networks)
        {
            foreach (var network in networks.Values)
            {
                rx = unchecked(rx + network.RxBytes);
                tx = unchecked(tx + network.TxBytes);
            }
        }

        return (rx, tx);
    }

    private static double OnlineCpus(EngineStats stats)
    {
        uint online = stats.CpuStats?.OnlineCpus ?? 0;
        if (online == 0)
        {
            online = (uint)(stats.CpuStats?.CpuUsage?.PerCpuUsage?.Count ?? 0);
        }

        return online == 0 ? Environment.ProcessorCount : online;
    }

    private static double Round(double value) => Math.Round(Math.Max(0, value), 2, MidpointRounding.AwayFromZero);
}

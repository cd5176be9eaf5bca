using Tether.Platform.Common;
namespace Tether.Platform.HostStats;

/// <summary>Reads the aggregate <c>cpu</c> line of /proc/stat (proc(5)).</summary>
internal static class ProcStatParser
{
    /// <summary>
    /// Parses <c>cpu user nice system idle [iowait irq softirq steal guest guest_nice]</c>.
    /// Kernels before 2.6 stop after idle, so only the first four fields are required.
    /// guest and guest_nice are already inside user and nice, so they are not added again;
    /// iowait counts as idle, as top and Node's os.cpus() treat it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> procStat, out CpuTimes times)
    {
        times = default;
        while (!procStat.IsEmpty)
        {
            var line = ProcText.TakeLine(ref procStat);
            if (!ProcText.TryTakeToken(ref line, out var name) || !name.SequenceEqual("cpu"u8))
            {
                continue;
            }

            if (!ProcText.TryTakeUInt64(ref line, out ulong user)
                || !ProcText.TryTakeUInt64(ref line, out ulong nice)
                || !ProcText.TryTakeUInt64(ref line, out ulong system)
                || !ProcText.TryTakeUInt64(ref line, out ulong idle))
            {
                return false;
            }

            ulong iowait = TakeOptional(ref line);
            ulong irq = TakeOptional(ref line);
            ulong softirq = TakeOptional(ref line);
            ulong steal = TakeOptional(ref line);
            times = new CpuTimes(Busy: user + nice + system + irq + softirq + steal, Idle: idle + iowait);
            return true;
        }

        return false;
    }

    private static ulong TakeOptional(ref ReadOnlySpan<byte> line) =>
        ProcText.TryTakeUInt64(ref line, out ulong value) ? value : 0;
}

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

    /// <summary>
    /// Parses the per-core <c>cpuN</c> lines that follow the aggregate one, in file order, into
    /// <paramref name="cores"/> (cleared first), with the same busy/idle split as <see cref="TryParse"/>.
    /// <paramref name="complete"/> is false when the text ended inside the cpu lines (a prefix
    /// read too short). A malformed core line fails the whole read.
    /// </summary>
    public static bool TryParseCores(ReadOnlySpan<byte> procStat, List<CpuTimes> cores, out bool complete)
    {
        cores.Clear();
        complete = false;
        while (!procStat.IsEmpty)
        {
            bool lastLine = procStat.IndexOf((byte)'\n') < 0;
            var line = ProcText.TakeLine(ref procStat);
            if (!ProcText.TryTakeToken(ref line, out var name) || !name.StartsWith("cpu"u8))
            {
                if (cores.Count > 0)
                {
                    complete = true;
                    return true;
                }

                continue;
            }

            if (name.Length == 3)
            {
                continue;
            }

            if (lastLine)
            {
                // Cut off mid-line: the caller reads more and tries again.
                return true;
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
            cores.Add(new CpuTimes(Busy: user + nice + system + irq + softirq + steal, Idle: idle + iowait));
        }

        return cores.Count > 0;
    }

    private static ulong TakeOptional(ref ReadOnlySpan<byte> line) =>
        ProcText.TryTakeUInt64(ref line, out ulong value) ? value : 0;
}

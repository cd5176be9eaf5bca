using Tether.Platform.Common;
namespace Tether.Platform.HostStats;

/// <summary>Sums byte counters of /proc/net/dev over every interface but loopback.</summary>
internal static class NetDevParser
{
    // Receive has 8 columns (bytes first), Transmit follows with bytes first.
    private const int TxBytesColumn = 8;

    /// <summary>
    /// The kernel prints <c>%6s:%8llu</c>, so a long counter is glued to the colon
    /// (<c>eth0:123456789</c>); the name therefore ends at the first colon, which Linux forbids
    /// inside interface names. One malformed interface line fails the whole read: a sum that
    /// silently skipped an interface would show up as a reset.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> netDev, out NetworkCounters counters)
    {
        counters = default;
        ulong rx = 0, tx = 0;
        bool sawHeader = false;
        while (!netDev.IsEmpty)
        {
            var line = ProcText.TakeLine(ref netDev);
            int colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                sawHeader |= line.IndexOf("|"u8) >= 0;
                continue;
            }

            var name = line[..colon].Trim(" \t"u8);
            var fields = line[(colon + 1)..];
            if (name.IsEmpty)
            {
                return false;
            }

            if (!ProcText.TryTakeUInt64(ref fields, out ulong rxBytes))
            {
                return false;
            }

            for (int column = 1; column < TxBytesColumn; column++)
            {
                if (!ProcText.TryTakeToken(ref fields, out _))
                {
                    return false;
                }
            }

            if (!ProcText.TryTakeUInt64(ref fields, out ulong txBytes))
            {
                return false;
            }

            if (name.SequenceEqual("lo"u8))
            {
                continue;
            }

            // Wrapping matches the counters' own u64 arithmetic; the collector treats a drop as a reset.
            rx = unchecked(rx + rxBytes);
            tx = unchecked(tx + txBytes);
        }

        if (!sawHeader)
        {
            return false;
        }

        counters = new NetworkCounters(rx, tx);
        return true;
    }
}

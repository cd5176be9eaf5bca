using Tether.Platform.Common;
namespace Tether.Platform.HostStats;

/// <summary>Reads /proc/loadavg: <c>1min 5min 15min running/total lastpid</c>.</summary>
internal static class LoadAvgParser
{
    public static bool TryParse(ReadOnlySpan<byte> loadAvg, out LoadAverage load)
    {
        load = default;
        if (!ProcText.TryTakeDouble(ref loadAvg, out double one)
            || !ProcText.TryTakeDouble(ref loadAvg, out double five)
            || !ProcText.TryTakeDouble(ref loadAvg, out double fifteen))
        {
            return false;
        }

        load = new LoadAverage(one, five, fifteen);
        return true;
    }
}

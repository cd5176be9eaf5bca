using Tether.Platform.Common;
namespace Tether.Platform.HostStats;

/// <summary>Reads /proc/uptime: <c>seconds-since-boot idle-seconds</c>.</summary>
internal static class UptimeParser
{
    public static bool TryParse(ReadOnlySpan<byte> uptime, out double seconds) =>
        ProcText.TryTakeDouble(ref uptime, out seconds);
}

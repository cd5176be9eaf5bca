namespace Tether.Platform.HostStats;

/// <summary>
/// The arithmetic between raw Win32 counters and the <see cref="IHostStats"/> records, kept free
/// of P/Invoke so it is tested on every OS.
/// </summary>
internal static class WindowsCounterMath
{
    /// <summary>The 64-bit count of 100 ns units a FILETIME's two halves make.</summary>
    public static ulong FileTimeTicks(uint low, uint high) => ((ulong)high << 32) | low;

    /// <summary>
    /// GetSystemTimes' kernel time includes the idle time, so busy = kernel − idle + user. A
    /// kernel sample below idle (never documented, but counters are read separately) counts as
    /// zero kernel work rather than wrapping to 2^64.
    /// </summary>
    public static CpuTimes CpuTimes(ulong idle, ulong kernel, ulong user) =>
        new((kernel > idle ? kernel - idle : 0) + user, idle);

    /// <summary>GetDiskFreeSpaceExW's byte counts as one-byte blocks: Free is the volume's, Available the caller's (quotas).</summary>
    public static FileSystemSpace FileSystemSpace(ulong totalBytes, ulong totalFreeBytes, ulong freeBytesAvailableToCaller) =>
        new(1, totalBytes, totalFreeBytes, freeBytesAvailableToCaller);

    /// <summary>GetTickCount64's milliseconds as seconds.</summary>
    public static double UptimeSeconds(ulong tickMilliseconds) => tickMilliseconds / 1000.0;

    /// <summary>
    /// Whether an interface's octets count towards <c>net</c>: not loopback (docs/protocol.md §3), and not
    /// an NDIS filter (WFP, QoS, virtual switch filters are stacked on a real adapter and repeat
    /// its counters, so counting them would double the traffic).
    /// </summary>
    public static bool CountsTowardsNetwork(uint interfaceType, byte interfaceAndOperStatusFlags) =>
        interfaceType != Interop.IpHlpApi.IF_TYPE_SOFTWARE_LOOPBACK
        && (interfaceAndOperStatusFlags & Interop.IpHlpApi.IfFlagFilterInterface) == 0;
}

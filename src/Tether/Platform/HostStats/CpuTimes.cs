namespace Tether.Platform.HostStats;

/// <summary>CPU time summed over all cores. Busy excludes idle and I/O wait.</summary>
internal readonly record struct CpuTimes(ulong Busy, ulong Idle);

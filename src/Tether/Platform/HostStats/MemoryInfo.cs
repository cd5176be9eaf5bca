namespace Tether.Platform.HostStats;

/// <summary>
/// Total and available physical memory in bytes. Available is what new work can get without
/// swapping (Linux MemAvailable), not merely free pages.
/// </summary>
internal readonly record struct MemoryInfo(ulong TotalBytes, ulong AvailableBytes);

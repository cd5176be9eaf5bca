namespace Tether.Platform.HostStats;

/// <summary>
/// statvfs block counts, each in units of <see cref="FragmentSize"/> bytes. Free counts blocks
/// reserved for root; Available does not (df's "Avail").
/// </summary>
internal readonly record struct FileSystemSpace(ulong FragmentSize, ulong TotalBlocks, ulong FreeBlocks, ulong AvailableBlocks);

namespace Tether.Telemetry;

/// <summary>
/// The <c>disk</c> object of <c>stats</c>, in df's convention: used and free exclude the blocks
/// reserved for root, so <see cref="Percent"/> matches df's Use% (used / (used + free)).
/// </summary>
internal sealed record DiskStats(string Path, ulong TotalBytes, ulong UsedBytes, ulong FreeBytes, double Percent);

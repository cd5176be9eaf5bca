namespace Tether.Telemetry;

/// <summary>
/// One entry of <c>disks</c> (docs/protocol.md §3): a mounted file system in df's convention
/// (used and free leave out root's reserve, so <see cref="Percent"/> is df's Use%) and the bytes
/// per second read and written on its backing device since the previous sample.
/// </summary>
internal sealed record MountStats(
    string Path,
    string Fs,
    ulong TotalBytes,
    ulong UsedBytes,
    ulong FreeBytes,
    double Percent,
    double ReadBytesPerSec,
    double WriteBytesPerSec);

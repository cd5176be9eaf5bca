namespace Tether.Platform.HostStats;

/// <summary>
/// One mounted file system as the OS reports it: where it is mounted, its type, its block counts
/// and, where the OS keeps them per device, the bytes read and written on its backing device since
/// boot (Linux <c>/proc/diskstats</c>).
/// </summary>
/// <param name="HasIo">False when no I/O counters belong to it (tmpfs, network file systems, Windows, macOS).</param>
internal readonly record struct MountedFileSystem(
    string MountPoint,
    string FsType,
    FileSystemSpace Space,
    bool HasIo,
    ulong ReadBytes,
    ulong WrittenBytes);

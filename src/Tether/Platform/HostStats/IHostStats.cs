namespace Tether.Platform.HostStats;

/// <summary>
/// Raw operating-system counters behind the <c>stats</c> event (docs/protocol.md §3). Implementations
/// only read and parse; percentages, rates and rounding live in
/// <see cref="Telemetry.StatsCollector"/>, so every OS reports the same way.
/// </summary>
/// <remarks>
/// Every read is a try-pattern: <see langword="false"/> means the source was missing or malformed
/// (a value, not an exception, so a broken /proc costs one warning, not a stack trace per
/// interval). Implementations may reuse buffers and are not thread-safe: one caller at a time.
/// </remarks>
internal interface IHostStats
{
    /// <summary>Node's <c>os.platform()</c> name of this OS: <c>linux</c>, <c>darwin</c>, <c>win32</c>.</summary>
    string OsName { get; }

    /// <summary>Cumulative CPU time of all cores since boot, in the OS's own tick unit.</summary>
    bool TryReadCpuTimes(out CpuTimes times);

    /// <summary>Physical memory, in bytes.</summary>
    bool TryReadMemory(out MemoryInfo memory);

    /// <summary>
    /// The 1, 5 and 15 minute load averages. <see langword="false"/> where the OS has none
    /// (Windows); then the <c>load</c> field is sent as <c>null</c>.
    /// </summary>
    bool TryReadLoadAverage(out LoadAverage load);

    /// <summary>Block counts of the file system that holds <paramref name="path"/>.</summary>
    bool TryReadFileSystem(string path, out FileSystemSpace space);

    /// <summary>
    /// Received and sent bytes since boot (or since the interface appeared), summed over every
    /// interface except loopback. The sum drops when an interface goes away or is reset.
    /// </summary>
    bool TryReadNetworkCounters(out NetworkCounters counters);

    /// <summary>Seconds since the machine booted (not since this process started).</summary>
    bool TryReadUptime(out double seconds);
}

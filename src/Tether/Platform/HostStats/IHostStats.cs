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

    /// <summary>
    /// Cumulative CPU time of each core, in core order, from the same read as the last
    /// <see cref="TryReadCpuTimes"/> (so it costs no second read). Fills <paramref name="cores"/>
    /// (cleared first). <see langword="false"/> where the OS code does not offer it.
    /// </summary>
    bool TryReadCpuCoreTimes(List<CpuTimes> cores)
    {
        cores.Clear();
        return false;
    }

    /// <summary>
    /// Every mounted real file system, each once (pseudo file systems, container overlays and
    /// second views of one file system such as bind mounts left out), into <paramref name="into"/>
    /// (cleared first). <see langword="false"/> when the mount table cannot be read.
    /// </summary>
    bool TryReadMountedFileSystems(List<MountedFileSystem> into)
    {
        into.Clear();
        return false;
    }

    /// <summary>
    /// Temperature sensors with a reading, into <paramref name="into"/> (cleared first); an empty
    /// list when the host has none (most VMs). <see langword="false"/> where the OS code does not offer them.
    /// </summary>
    bool TryReadTemperatures(List<TemperatureReading> into)
    {
        into.Clear();
        return false;
    }
}

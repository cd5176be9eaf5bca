using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.HostStats;

/// <summary>Host counters from /proc and statvfs(3); no processes are started.</summary>
/// <remarks>Not thread-safe (one reused read buffer); the stats loop is its only caller.</remarks>
[SupportedOSPlatform("linux")]
internal sealed class LinuxHostStats : IHostStats
{
    // The aggregate cpu line comes first; the rest of /proc/stat is per-core and per-IRQ noise.
    private const int ProcStatPrefixBytes = 4096;

    private readonly ProcFileReader _reader = new();
    private readonly string _statPath;
    private readonly string _memInfoPath;
    private readonly string _loadAvgPath;
    private readonly string _netDevPath;
    private readonly string _uptimePath;

    public LinuxHostStats()
        : this("/proc")
    {
    }

    /// <summary>Reads from another procfs mount, e.g. the host's /proc bind-mounted into a container.</summary>
    public LinuxHostStats(string procRoot)
    {
        _statPath = Path.Join(procRoot, "stat");
        _memInfoPath = Path.Join(procRoot, "meminfo");
        _loadAvgPath = Path.Join(procRoot, "loadavg");
        _netDevPath = Path.Join(procRoot, "net", "dev");
        _uptimePath = Path.Join(procRoot, "uptime");
    }

    public string OsName => "linux";

    public bool TryReadCpuTimes(out CpuTimes times)
    {
        times = default;
        return _reader.TryRead(_statPath, out var text, ProcStatPrefixBytes) && ProcStatParser.TryParse(text, out times);
    }

    public bool TryReadMemory(out MemoryInfo memory)
    {
        memory = default;
        return _reader.TryRead(_memInfoPath, out var text) && MemInfoParser.TryParse(text, out memory);
    }

    public bool TryReadLoadAverage(out LoadAverage load)
    {
        load = default;
        return _reader.TryRead(_loadAvgPath, out var text) && LoadAvgParser.TryParse(text, out load);
    }

    public bool TryReadNetworkCounters(out NetworkCounters counters)
    {
        counters = default;
        return _reader.TryRead(_netDevPath, out var text) && NetDevParser.TryParse(text, out counters);
    }

    public bool TryReadUptime(out double seconds)
    {
        seconds = 0;
        return _reader.TryRead(_uptimePath, out var text) && UptimeParser.TryParse(text, out seconds);
    }

    public bool TryReadFileSystem(string path, out FileSystemSpace space)
    {
        space = default;
        if (Interop.Libc.StatVfs64(path, out var buf) != 0)
        {
            return false;
        }

        // f_frsize is the unit of the block counts; some old file systems leave it 0 and mean f_bsize.
        ulong fragment = buf.f_frsize != 0 ? buf.f_frsize : buf.f_bsize;
        space = new FileSystemSpace(fragment, buf.f_blocks, buf.f_bfree, buf.f_bavail);
        return true;
    }
}

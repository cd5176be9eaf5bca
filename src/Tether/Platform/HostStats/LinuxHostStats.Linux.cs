using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.HostStats;

/// <summary>Host counters from /proc and statvfs(3); no processes are started.</summary>
/// <remarks>Not thread-safe (one reused read buffer); the stats loop is its only caller.</remarks>
[SupportedOSPlatform("linux")]
internal sealed class LinuxHostStats : IHostStats
{
    // The cpu lines come first; the rest of /proc/stat is per-IRQ noise (tens of kilobytes).
    // A cpu line is under 160 bytes; the prefix grows if a host has more cores than this covers.
    private const int ProcStatBaseBytes = 4096;
    private const int ProcStatBytesPerCore = 160;

    private readonly ProcFileReader _reader = new();
    private readonly string _statPath;
    private readonly string _memInfoPath;
    private readonly string _loadAvgPath;
    private readonly string _netDevPath;
    private readonly string _uptimePath;
    private readonly LinuxMountTable _mounts;
    private readonly SysfsTemperatures _temperatures;
    private readonly List<CpuTimes> _cores = [];
    private int _procStatPrefixBytes = ProcStatBaseBytes + (ProcStatBytesPerCore * Environment.ProcessorCount);
    private bool _coresValid;

    public LinuxHostStats()
        : this("/proc")
    {
    }

    /// <summary>Reads from another procfs mount, e.g. the host's /proc bind-mounted into a container.</summary>
    public LinuxHostStats(string procRoot)
        : this(procRoot, "/sys/class")
    {
    }

    /// <summary>Reads from another procfs and another sysfs <c>class</c> folder (captured trees in tests).</summary>
    public LinuxHostStats(string procRoot, string sysClassRoot)
    {
        _statPath = Path.Join(procRoot, "stat");
        _memInfoPath = Path.Join(procRoot, "meminfo");
        _loadAvgPath = Path.Join(procRoot, "loadavg");
        _netDevPath = Path.Join(procRoot, "net", "dev");
        _uptimePath = Path.Join(procRoot, "uptime");
        _mounts = new LinuxMountTable(_reader, Path.Join(procRoot, "self", "mountinfo"), Path.Join(procRoot, "diskstats"), StatVfs);
        _temperatures = new SysfsTemperatures(_reader, sysClassRoot);
    }

    public string OsName => "linux";

    public bool TryReadCpuTimes(out CpuTimes times)
    {
        times = default;
        _coresValid = false;
        while (true)
        {
            if (!_reader.TryRead(_statPath, out var text, _procStatPrefixBytes) || !ProcStatParser.TryParse(text, out times))
            {
                return false;
            }

            _coresValid = ProcStatParser.TryParseCores(text, _cores, out bool complete);
            if (complete || text.Length < _procStatPrefixBytes || _procStatPrefixBytes >= 1 << 22)
            {
                return true;
            }

            _procStatPrefixBytes *= 2;
        }
    }

    public bool TryReadCpuCoreTimes(List<CpuTimes> cores)
    {
        cores.Clear();
        if (!_coresValid)
        {
            return false;
        }

        cores.AddRange(_cores);
        return true;
    }

    public bool TryReadMountedFileSystems(List<MountedFileSystem> into) => _mounts.TryRead(into);

    public bool TryReadTemperatures(List<TemperatureReading> into)
    {
        _temperatures.Read(into);
        return true;
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
        (bool ok, space) = StatVfs(path);
        return ok;
    }

    private static (bool Ok, FileSystemSpace Space) StatVfs(string path)
    {
        if (Interop.Libc.StatVfs64(path, out var buf) != 0)
        {
            return (false, default);
        }

        // f_frsize is the unit of the block counts; some old file systems leave it 0 and mean f_bsize.
        ulong fragment = buf.f_frsize != 0 ? buf.f_frsize : buf.f_bsize;
        return (true, new FileSystemSpace(fragment, buf.f_blocks, buf.f_bfree, buf.f_bavail));
    }
}

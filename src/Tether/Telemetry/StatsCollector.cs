using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Config;
using Tether.Platform.HostStats;

namespace Tether.Telemetry;

/// <summary>
/// Turns raw <see cref="IHostStats"/> counters into the <c>stats</c> payload (docs/protocol.md §3):
/// CPU and network figures are deltas against the previous <see cref="Sample"/>.
/// </summary>
/// <remarks>
/// Not thread-safe: it keeps the previous sample's counters. One caller (the stats loop, or
/// <c>tether stats</c>) owns an instance; <c>hello_ack</c>'s immediate sample must be posted to
/// that same owner rather than sampled from another thread.
/// A source that cannot be read yields a neutral value (0, or <c>null</c> for load) so the other
/// fields still reach the dashboard; it is logged once when it starts failing, not every interval.
/// </remarks>
internal sealed class StatsCollector
{
    /// <summary>
    /// The file system of <c>disk</c>: the root on Unix; on Windows the system drive (e.g.
    /// <c>C:\</c>), which holds the OS as / does elsewhere.
    /// </summary>
    public static readonly string RootPath = OperatingSystem.IsWindows() ? SystemDriveRoot() : "/";

    private readonly IHostStats _host;
    private readonly TimeProvider _time;
    private readonly string _agentVersion;
    private readonly ILogger _log;
    private readonly string _arch = NodeArch.From(RuntimeInformation.ProcessArchitecture);

    private readonly CounterDelta _cpuBusy = new();
    private readonly CounterDelta _cpuTotal = new();
    private readonly CounterDelta _rx = new();
    private readonly CounterDelta _tx = new();
    private long _netTimestamp;

    private readonly NameFilter _sensors;
    private readonly NameFilter _excludedMounts;
    private readonly List<CpuTimes> _cores = [];
    private readonly List<(CounterDelta Busy, CounterDelta Total)> _coreDeltas = [];
    private readonly List<MountedFileSystem> _mounts = [];
    private readonly Dictionary<string, DiskIo> _diskIo = new(StringComparer.Ordinal);
    private readonly List<TemperatureReading> _temperatures = [];
    private int _sampleNumber;

    // One flag per source, so a source that keeps failing is reported once and its recovery once.
    private readonly bool[] _failing = new bool[Enum.GetValues<Source>().Length];

    public StatsCollector(IHostStats host, TimeProvider time, string agentVersion, ILogger? log = null, StatsSettings? settings = null)
    {
        _host = host;
        _time = time;
        _agentVersion = agentVersion;
        _log = log ?? NullLogger.Instance;
        settings ??= new StatsSettings();
        _sensors = settings.Sensors.Count == 0 ? NameFilter.All : NameFilter.FromRules(settings.Sensors);
        _excludedMounts = settings.ExcludeMounts.Count == 0 ? NameFilter.All : NameFilter.Excluding(settings.ExcludeMounts);
    }

    private enum Source
    {
        Cpu,
        Memory,
        Disk,
        Network,
        Uptime,
    }

    /// <summary>Reads every counter once and builds the payload.</summary>
    /// <param name="netLatencyMs">The latency probe's result for this interval; <see langword="null"/> leaves the field out.</param>
    public StatsData Sample(double? netLatencyMs)
    {
        DateTimeOffset now = _time.GetUtcNow();
        long timestamp = _time.GetTimestamp();

        double cpu = Track(Source.Cpu, _host.TryReadCpuTimes(out var cpuTimes)) ? CpuPercent(cpuTimes) : 0;
        double mem = Track(Source.Memory, _host.TryReadMemory(out var memory)) ? MemoryPercent(memory) : 0;
        // Not tracked: having no load average is normal on Windows and sends null.
        double[]? load = _host.TryReadLoadAverage(out var avg) ? [avg.One, avg.Five, avg.Fifteen] : null;
        DiskStats disk = Track(Source.Disk, _host.TryReadFileSystem(RootPath, out var space))
            ? Disk(space)
            : new DiskStats(RootPath, 0, 0, 0, 0);
        NetStats net = Track(Source.Network, _host.TryReadNetworkCounters(out var counters))
            ? Network(counters, timestamp)
            : new NetStats(0, 0, 0, 0);
        long uptime = Track(Source.Uptime, _host.TryReadUptime(out double uptimeSeconds)) ? (long)uptimeSeconds : 0;

        IReadOnlyList<double>? perCore = _host.TryReadCpuCoreTimes(_cores) ? CpuPerCore() : null;
        // Left out (not tracked as a failure) when unreadable: the root file system's disk member still reports.
        IReadOnlyList<MountStats>? disks = _host.TryReadMountedFileSystems(_mounts) ? Disks(timestamp) : null;
        IReadOnlyList<TemperatureStats>? temps = null;
        double? cpuTemp = null;
        if (_host.TryReadTemperatures(_temperatures))
        {
            (temps, cpuTemp) = Temperatures();
        }

        return new StatsData(
            Cpu: cpu,
            Mem: mem,
            Load: load,
            Disk: disk,
            Net: net,
            DiskPercent: disk.Percent,
            UptimeSec: uptime,
            NetLatencyMs: netLatencyMs,
            Ts: FormatTimestamp(now),
            Hostname: Dns.GetHostName(),
            Os: _host.OsName,
            Arch: _arch,
            CpuCount: Environment.ProcessorCount,
            AgentVersion: _agentVersion)
        {
            CpuPerCore = perCore,
            Disks = disks,
            Temps = temps,
            CpuTempC = cpuTemp,
        };
    }

    private double[] CpuPerCore()
    {
        if (_coreDeltas.Count != _cores.Count)
        {
            // A core went on- or offline: every core starts a new baseline.
            _coreDeltas.Clear();
            for (int i = 0; i < _cores.Count; i++)
            {
                _coreDeltas.Add((new CounterDelta(), new CounterDelta()));
            }
        }

        var percent = new double[_cores.Count];
        for (int i = 0; i < _cores.Count; i++)
        {
            ulong busy = _coreDeltas[i].Busy.Advance(_cores[i].Busy);
            ulong total = _coreDeltas[i].Total.Advance(_cores[i].Busy + _cores[i].Idle);
            percent[i] = Percent(busy, total);
        }

        return percent;
    }

    private List<MountStats> Disks(long timestamp)
    {
        _sampleNumber++;
        var disks = new List<MountStats>(_mounts.Count);
        foreach (var mount in _mounts)
        {
            if (!_excludedMounts.IsAllowed(mount.MountPoint))
            {
                continue;
            }

            var (total, used, free, percent) = Space(mount.Space);
            double readRate = 0, writeRate = 0;
            if (mount.HasIo)
            {
                if (!_diskIo.TryGetValue(mount.MountPoint, out var io))
                {
                    io = new DiskIo();
                    _diskIo[mount.MountPoint] = io;
                }

                bool hasPrevious = io.Read.HasPrevious;
                ulong read = io.Read.Advance(mount.ReadBytes);
                ulong written = io.Written.Advance(mount.WrittenBytes);
                double seconds = hasPrevious ? _time.GetElapsedTime(io.Timestamp, timestamp).TotalSeconds : 0;
                io.Timestamp = timestamp;
                io.SeenInSample = _sampleNumber;
                readRate = Rate(read, seconds);
                writeRate = Rate(written, seconds);
            }

            disks.Add(new MountStats(mount.MountPoint, mount.FsType, total, used, free, percent, readRate, writeRate));
        }

        if (_diskIo.Count > disks.Count)
        {
            // Unmounted since: forget its counters, so a later mount there starts afresh.
            foreach (var gone in _diskIo.Where(kv => kv.Value.SeenInSample != _sampleNumber).Select(kv => kv.Key).ToList())
            {
                _diskIo.Remove(gone);
            }
        }

        return disks;
    }

    private (List<TemperatureStats>? Temps, double? CpuTemp) Temperatures()
    {
        List<TemperatureStats>? temps = null;
        int bestRank = int.MaxValue;
        double? cpu = null;
        foreach (var reading in _temperatures)
        {
            // Outside 0–150 °C is a disconnected input or a driver's placeholder, not a temperature.
            if (reading.Celsius is < 0 or > 150 || !_sensors.IsAllowed(reading.Sensor))
            {
                continue;
            }

            (temps ??= []).Add(new TemperatureStats(reading.Sensor, reading.Celsius));
            if (reading.CpuRank > 0 && (reading.CpuRank < bestRank || (reading.CpuRank == bestRank && reading.Celsius > cpu)))
            {
                // Several packages of one rank (a two-socket server): the hottest.
                bestRank = reading.CpuRank;
                cpu = reading.Celsius;
            }
        }

        return (temps, cpu);
    }

    private static string SystemDriveRoot() =>
        Path.GetPathRoot(Environment.SystemDirectory) is { Length: > 0 } root ? root : @"C:\";

    /// <summary>JavaScript's <c>Date.prototype.toISOString</c> format, which the dashboard parses.</summary>
    internal static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    private static double Percent(double part, double whole) =>
        whole > 0 ? Math.Round(Math.Clamp(part / whole * 100, 0, 100), 1, MidpointRounding.AwayFromZero) : 0;

    private static double MemoryPercent(MemoryInfo memory) =>
        Percent(memory.TotalBytes - Math.Min(memory.AvailableBytes, memory.TotalBytes), memory.TotalBytes);

    private static DiskStats Disk(FileSystemSpace space)
    {
        var (total, used, free, percent) = Space(space);
        return new DiskStats(RootPath, total, used, free, percent);
    }

    private static (ulong Total, ulong Used, ulong Free, double Percent) Space(FileSystemSpace space)
    {
        // df: Used = blocks - bfree (root's reserve is neither used nor free to users), Avail = bavail.
        ulong used = (space.TotalBlocks - Math.Min(space.FreeBlocks, space.TotalBlocks)) * space.FragmentSize;
        ulong free = space.AvailableBlocks * space.FragmentSize;
        return (space.TotalBlocks * space.FragmentSize, used, free, Percent(used, (double)used + free));
    }

    // The first sample has no previous one: its deltas run from zero, i.e. the average since boot.
    private double CpuPercent(CpuTimes times)
    {
        ulong busy = _cpuBusy.Advance(times.Busy);
        ulong total = _cpuTotal.Advance(times.Busy + times.Idle);
        return Percent(busy, total);
    }

    private NetStats Network(NetworkCounters counters, long timestamp)
    {
        bool hasPrevious = _rx.HasPrevious;
        ulong rx = _rx.Advance(counters.RxBytes);
        ulong tx = _tx.Advance(counters.TxBytes);
        double seconds = hasPrevious ? _time.GetElapsedTime(_netTimestamp, timestamp).TotalSeconds : 0;
        _netTimestamp = timestamp;
        return new NetStats(counters.RxBytes, counters.TxBytes, Rate(rx, seconds), Rate(tx, seconds));
    }

    private static double Rate(ulong bytes, double seconds) =>
        seconds > 0 ? Math.Round(bytes / seconds, 1, MidpointRounding.AwayFromZero) : 0;

    private bool Track(Source source, bool ok)
    {
        ref bool failing = ref _failing[(int)source];
        if (!ok && !failing)
        {
            _log.LogWarning("Telemetry source {Source} cannot be read; sending 0 until it recovers", source);
        }
        else if (ok && failing)
        {
            _log.LogInformation("Telemetry source {Source} readable again", source);
        }

        failing = !ok;
        return ok;
    }

    private sealed class DiskIo
    {
        public CounterDelta Read { get; } = new();

        public CounterDelta Written { get; } = new();

        public long Timestamp { get; set; }

        public int SeenInSample { get; set; }
    }
}

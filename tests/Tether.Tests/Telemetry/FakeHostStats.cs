using Tether.Platform.HostStats;

namespace Tether.Tests.Telemetry;

/// <summary>Settable counters; a <see langword="null"/> property makes that read fail.</summary>
internal sealed class FakeHostStats : IHostStats
{
    public CpuTimes? Cpu { get; set; } = new(0, 0);

    public MemoryInfo? Memory { get; set; } = new(1024, 1024);

    public LoadAverage? Load { get; set; } = new(0, 0, 0);

    public FileSystemSpace? Space { get; set; } = new(4096, 100, 100, 100);

    public NetworkCounters? Network { get; set; } = new(0, 0);

    public double? Uptime { get; set; } = 1;

    public List<string> FileSystemPaths { get; } = [];

    public string OsName => "linux";

    public bool TryReadCpuTimes(out CpuTimes times) => Get(Cpu, out times);

    public bool TryReadMemory(out MemoryInfo memory) => Get(Memory, out memory);

    public bool TryReadLoadAverage(out LoadAverage load) => Get(Load, out load);

    public bool TryReadFileSystem(string path, out FileSystemSpace space)
    {
        FileSystemPaths.Add(path);
        return Get(Space, out space);
    }

    public bool TryReadNetworkCounters(out NetworkCounters counters) => Get(Network, out counters);

    /// <summary>Runs inside each sample (on the sampling thread), before the uptime is read: a test can hold the sample there.</summary>
    public Action? DuringSample { get; set; }

    public bool TryReadUptime(out double seconds)
    {
        DuringSample?.Invoke();
        return Get(Uptime, out seconds);
    }

    private static bool Get<T>(T? source, out T value)
        where T : struct
    {
        value = source.GetValueOrDefault();
        return source.HasValue;
    }
}

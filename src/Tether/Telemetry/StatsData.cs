using System.Text.Json.Serialization;

namespace Tether.Telemetry;

/// <summary>
/// The <c>data</c> object of the <c>stats</c> event (docs/protocol.md §3). Serialize it only through
/// <see cref="TelemetryJsonContext"/>; property names become camelCase.
/// </summary>
/// <param name="Cpu">% busy of all cores since the previous sample, 0–100.</param>
/// <param name="Mem">% of memory in use (MemTotal − MemAvailable), 0–100.</param>
/// <param name="Load">1, 5 and 15 minute load averages; written as <c>null</c> where the OS has none.</param>
/// <param name="NetLatencyMs">TCP connect time to the server; the property is left out when the probe failed.</param>
/// <param name="Ts">ISO-8601 UTC with milliseconds, as JavaScript's toISOString writes it.</param>
internal sealed record StatsData(
    double Cpu,
    double Mem,
    IReadOnlyList<double>? Load,
    DiskStats Disk,
    NetStats Net,
    double DiskPercent,
    long UptimeSec,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NetLatencyMs,
    string Ts,
    string Hostname,
    string Os,
    string Arch,
    int CpuCount,
    string AgentVersion)
{
    /// <summary>% busy of each core since the previous sample; left out where the OS code has no per-core times.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? CpuPerCore { get; init; }

    /// <summary>Every real mounted file system, each once; left out when the mount table cannot be read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MountStats>? Disks { get; init; }

    /// <summary>Temperature sensors after <c>stats.sensors</c>; left out when the host has none (most VMs).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TemperatureStats>? Temps { get; init; }

    /// <summary>The CPU package temperature, when a sensor is known to be it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? CpuTempC { get; init; }

    /// <summary>Containers of a Docker-compatible engine; left out when none answers or <c>stats.containers</c> is off.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ContainerStats>? Containers { get; init; }
}

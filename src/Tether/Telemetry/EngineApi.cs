using System.Text.Json.Serialization;

namespace Tether.Telemetry;

/// <summary>One entry of the Engine API's <c>GET /containers/json</c> (Docker and Podman's compatible API).</summary>
internal sealed class EngineContainer
{
    public string Id { get; set; } = "";

    public IReadOnlyList<string>? Names { get; set; }

    public string? Image { get; set; }

    public string? State { get; set; }
}

/// <summary>The parts of <c>GET /containers/{id}/stats?stream=false&amp;one-shot=true</c> the agent reads.</summary>
internal sealed class EngineStats
{
    [JsonPropertyName("read")]
    public DateTimeOffset Read { get; set; }

    [JsonPropertyName("cpu_stats")]
    public EngineCpuStats? CpuStats { get; set; }

    [JsonPropertyName("precpu_stats")]
    public EngineCpuStats? PreCpuStats { get; set; }

    [JsonPropertyName("memory_stats")]
    public EngineMemoryStats? MemoryStats { get; set; }

    [JsonPropertyName("networks")]
    public Dictionary<string, EngineNetworkStats>? Networks { get; set; }
}

internal sealed class EngineCpuStats
{
    [JsonPropertyName("cpu_usage")]
    public EngineCpuUsage? CpuUsage { get; set; }

    [JsonPropertyName("system_cpu_usage")]
    public ulong SystemCpuUsage { get; set; }

    [JsonPropertyName("online_cpus")]
    public uint OnlineCpus { get; set; }
}

internal sealed class EngineCpuUsage
{
    [JsonPropertyName("total_usage")]
    public ulong TotalUsage { get; set; }

    [JsonPropertyName("percpu_usage")]
    public IReadOnlyList<ulong>? PerCpuUsage { get; set; }
}

internal sealed class EngineMemoryStats
{
    [JsonPropertyName("usage")]
    public ulong Usage { get; set; }

    [JsonPropertyName("limit")]
    public ulong Limit { get; set; }

    [JsonPropertyName("stats")]
    public Dictionary<string, ulong>? Stats { get; set; }
}

internal sealed class EngineNetworkStats
{
    [JsonPropertyName("rx_bytes")]
    public ulong RxBytes { get; set; }

    [JsonPropertyName("tx_bytes")]
    public ulong TxBytes { get; set; }
}

/// <summary>Source-generated readers of the Engine API answers; unknown members are skipped.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(List<EngineContainer>))]
[JsonSerializable(typeof(EngineStats))]
internal sealed partial class EngineApiJsonContext : JsonSerializerContext;

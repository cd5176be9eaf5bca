using System.Text.Json;
using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

public sealed class StatsDataJsonTests
{
    private static StatsData Sample(IReadOnlyList<double>? load, double? latency) => new(
        Cpu: 12.5,
        Mem: 40.1,
        Load: load,
        Disk: new DiskStats("/", 1000, 600, 400, 60),
        Net: new NetStats(10, 20, 1.5, 2.5),
        DiskPercent: 60,
        UptimeSec: 3600,
        NetLatencyMs: latency,
        Ts: "2026-11-29T13:40:00.123Z",
        Hostname: "box",
        Os: "linux",
        Arch: "x64",
        CpuCount: 4,
        AgentVersion: "0.1.0");

    [Fact]
    public void Serialize_FullSample_HasContractNamesAndTypes()
    {
        string json = JsonSerializer.Serialize(Sample([0.5, 0.25, 0.125], 3.2), TelemetryJsonContext.Default.StatsData);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        Assert.Equal(
            ["cpu", "mem", "load", "disk", "net", "diskPercent", "uptimeSec", "netLatencyMs", "ts", "hostname", "os", "arch", "cpuCount", "agentVersion"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(12.5, root.GetProperty("cpu").GetDouble());
        Assert.Equal(40.1, root.GetProperty("mem").GetDouble());
        Assert.Equal([0.5, 0.25, 0.125], root.GetProperty("load").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(60, root.GetProperty("diskPercent").GetDouble());
        Assert.Equal(3600, root.GetProperty("uptimeSec").GetInt64());
        Assert.Equal(3.2, root.GetProperty("netLatencyMs").GetDouble());
        Assert.Equal("2026-11-29T13:40:00.123Z", root.GetProperty("ts").GetString());
        Assert.Equal("box", root.GetProperty("hostname").GetString());
        Assert.Equal("linux", root.GetProperty("os").GetString());
        Assert.Equal("x64", root.GetProperty("arch").GetString());
        Assert.Equal(4, root.GetProperty("cpuCount").GetInt32());
        Assert.Equal("0.1.0", root.GetProperty("agentVersion").GetString());

        var disk = root.GetProperty("disk");
        Assert.Equal(["path", "totalBytes", "usedBytes", "freeBytes", "percent"], disk.EnumerateObject().Select(p => p.Name));
        Assert.Equal("/", disk.GetProperty("path").GetString());
        Assert.Equal(1000, disk.GetProperty("totalBytes").GetInt64());
        Assert.Equal(600, disk.GetProperty("usedBytes").GetInt64());
        Assert.Equal(400, disk.GetProperty("freeBytes").GetInt64());
        Assert.Equal(60, disk.GetProperty("percent").GetDouble());

        var net = root.GetProperty("net");
        Assert.Equal(["rxBytes", "txBytes", "rxBytesPerSec", "txBytesPerSec"], net.EnumerateObject().Select(p => p.Name));
        Assert.Equal(10, net.GetProperty("rxBytes").GetInt64());
        Assert.Equal(20, net.GetProperty("txBytes").GetInt64());
        Assert.Equal(1.5, net.GetProperty("rxBytesPerSec").GetDouble());
        Assert.Equal(2.5, net.GetProperty("txBytesPerSec").GetDouble());
    }

    [Fact]
    public void Serialize_NoLatencyNoLoad_OmitsLatencyAndWritesLoadNull()
    {
        string json = JsonSerializer.Serialize(Sample(null, null), TelemetryJsonContext.Default.StatsData);
        using var doc = JsonDocument.Parse(json);

        Assert.False(doc.RootElement.TryGetProperty("netLatencyMs", out _));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("load").ValueKind);
        Assert.Contains("\"load\":null", json, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class TelemetryTests
{
    [Fact]
    public async Task HelloAck_IsAnsweredWithStatsAtOnce_NotAfterAnInterval()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("stats-now");
        config["statsIntervalSec"] = 3600; // any stats seen in this test is the immediate one
        await using var agent = await AgentProcess.StartAsync(config);

        var stats = await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);
        var helloAck = peer.Records.Last(r => r.Kind == "connect");
        Assert.True(stats.Index > helloAck.Index);
        AssertStatsShape(stats.Payload);
    }

    [Fact]
    public async Task Stats_ArriveEveryInterval_WithEveryFieldInRange()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("stats-loop");
        config["statsIntervalSec"] = 1;
        await using var agent = await AgentProcess.StartAsync(config);

        var all = await peer.WaitForEventsAsync("stats", 3, Waits.Event);
        foreach (var s in all)
        {
            AssertStatsShape(s.Payload);
        }

        // ts moves forward with each sample.
        var times = all.Select(s => DateTimeOffset.Parse(s.Payload.GetProperty("data").GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(times[0] < times[1] && times[1] < times[2]);
    }

    internal static void AssertStatsShape(JsonElement payload)
    {
        var data = AssertCommonStatsShape(payload, out string diskPath, out long total);
        var load = data.GetProperty("load");
        Assert.Equal(3, load.GetArrayLength());
        Assert.All(load.EnumerateArray(), l => Assert.True(l.GetDouble() >= 0));
        Assert.Equal("/", diskPath);
        Assert.Equal("linux", data.GetProperty("os").GetString());
        Assert.Contains(data.GetProperty("arch").GetString(), new[] { "x64", "arm64", "arm" });
        Assert.Equal(Environment.ProcessorCount, data.GetProperty("cpuCount").GetInt32());

        // Issue 15's members (docs/protocol.md §3): per-core CPU and every real disk, the root among them.
        var cores = data.GetProperty("cpuPerCore");
        Assert.True(cores.GetArrayLength() >= 1);
        Assert.All(cores.EnumerateArray(), c => Assert.InRange(c.GetDouble(), 0, 100));
        var root = Assert.Single(data.GetProperty("disks").EnumerateArray(), d => d.GetProperty("path").GetString() == "/");
        // Read by a second statvfs within the same sample: the file system may have moved by a few blocks.
        Assert.InRange(root.GetProperty("totalBytes").GetInt64(), total - (64L << 20), total + (64L << 20));
        Assert.True(root.GetProperty("readBytesPerSec").GetDouble() >= 0 && root.GetProperty("writeBytesPerSec").GetDouble() >= 0);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("fs").GetString()));
    }

    /// <summary>
    /// The members of <c>stats</c> (docs/protocol.md §3) whose checks are the same on every platform;
    /// gives <c>data</c>, and the root disk's path and size for the platform's own checks.
    /// </summary>
    internal static JsonElement AssertCommonStatsShape(JsonElement payload, out string diskPath, out long diskTotal)
    {
        Assert.Equal("stats", payload.GetProperty("type").GetString());
        Assert.Equal("stats", payload.GetProperty("t").GetString());
        var data = payload.GetProperty("data");
        Assert.InRange(data.GetProperty("cpu").GetDouble(), 0, 100);
        Assert.InRange(data.GetProperty("mem").GetDouble(), 0.01, 100);
        var disk = data.GetProperty("disk");
        diskPath = disk.GetProperty("path").GetString()!;
        diskTotal = disk.GetProperty("totalBytes").GetInt64();
        Assert.True(diskTotal > 0);
        Assert.InRange(disk.GetProperty("usedBytes").GetInt64(), 0, diskTotal);
        Assert.InRange(disk.GetProperty("freeBytes").GetInt64(), 0, diskTotal);
        Assert.InRange(disk.GetProperty("percent").GetDouble(), 0, 100);
        Assert.Equal(disk.GetProperty("percent").GetDouble(), data.GetProperty("diskPercent").GetDouble());
        var net = data.GetProperty("net");
        Assert.True(net.GetProperty("rxBytes").GetInt64() >= 0);
        Assert.True(net.GetProperty("txBytes").GetInt64() >= 0);
        Assert.True(net.GetProperty("rxBytesPerSec").GetDouble() >= 0);
        Assert.True(net.GetProperty("txBytesPerSec").GetDouble() >= 0);
        Assert.True(data.GetProperty("uptimeSec").GetDouble() > 0);
        Assert.True(data.GetProperty("netLatencyMs").GetDouble() >= 0, "loopback latency is measurable");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", data.GetProperty("ts").GetString());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("hostname").GetString()));
        Assert.Matches(@"^\d+\.\d+\.\d+", data.GetProperty("agentVersion").GetString());
        return data;
    }
}

using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tether.Platform.HostStats;
using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

public sealed class StatsCollectorTests
{
    private readonly FakeHostStats _host = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 13, 40, 0, 123, TimeSpan.Zero));

    private StatsCollector NewCollector() => new(_host, _time, "1.2.3");

    [Fact]
    public void Cpu_FirstSample_UsesTotalsSinceBoot()
    {
        _host.Cpu = new CpuTimes(Busy: 250, Idle: 750);

        Assert.Equal(25.0, NewCollector().Sample(null).Cpu);
    }

    [Fact]
    public void Cpu_SecondSample_UsesOnlyTheInterval()
    {
        var collector = NewCollector();
        _host.Cpu = new CpuTimes(Busy: 100, Idle: 900);
        collector.Sample(null);

        _host.Cpu = new CpuTimes(Busy: 100 + 2, Idle: 900 + 1);

        Assert.Equal(66.7, collector.Sample(null).Cpu);
    }

    [Fact]
    public void Cpu_NoTicksSincePreviousSample_IsZeroNotNaN()
    {
        var collector = NewCollector();
        _host.Cpu = new CpuTimes(10, 10);
        collector.Sample(null);

        Assert.Equal(0, collector.Sample(null).Cpu);
    }

    [Fact]
    public void Cpu_IdleCounterStepsBack_StaysWithinHundred()
    {
        // iowait is known to step back on some kernels; busy/total must not exceed 100 %.
        var collector = NewCollector();
        _host.Cpu = new CpuTimes(100, 1000);
        collector.Sample(null);
        _host.Cpu = new CpuTimes(150, 990);

        Assert.InRange(collector.Sample(null).Cpu, 0, 100);
    }

    [Fact]
    public void Mem_IsUsedShareOfTotal_RoundedToOneDecimal()
    {
        _host.Memory = new MemoryInfo(TotalBytes: 3000, AvailableBytes: 1000);

        Assert.Equal(66.7, NewCollector().Sample(null).Mem);
    }

    [Fact]
    public void Mem_AvailableAboveTotal_ClampsToZero()
    {
        _host.Memory = new MemoryInfo(TotalBytes: 1000, AvailableBytes: 2000);

        Assert.Equal(0, NewCollector().Sample(null).Mem);
    }

    [Fact]
    public void Disk_FollowsDfConvention()
    {
        // 1000 blocks, 300 free of which 250 available to users (50 reserved for root).
        _host.Space = new FileSystemSpace(FragmentSize: 4096, TotalBlocks: 1000, FreeBlocks: 300, AvailableBlocks: 250);

        var data = NewCollector().Sample(null);

        Assert.Equal(new DiskStats("/", 1000 * 4096, 700 * 4096, 250 * 4096, 73.7), data.Disk);
        Assert.Equal(data.Disk.Percent, data.DiskPercent);
        Assert.Equal(["/"], _host.FileSystemPaths);
    }

    [Fact]
    public void Net_FirstSample_HasTotalsAndZeroRates()
    {
        _host.Network = new NetworkCounters(RxBytes: 5000, TxBytes: 7000);

        Assert.Equal(new NetStats(5000, 7000, 0, 0), NewCollector().Sample(null).Net);
    }

    [Fact]
    public void Net_RatesUseElapsedTimeFromTimeProvider()
    {
        var collector = NewCollector();
        _host.Network = new NetworkCounters(1000, 1000);
        collector.Sample(null);

        _time.Advance(TimeSpan.FromSeconds(4));
        _host.Network = new NetworkCounters(1000 + 4000, 1000 + 10);

        Assert.Equal(new NetStats(5000, 1010, 1000, 2.5), collector.Sample(null).Net);
    }

    [Fact]
    public void Net_CounterReset_GivesZeroRateNotNegative()
    {
        var collector = NewCollector();
        _host.Network = new NetworkCounters(1_000_000, 2_000_000);
        collector.Sample(null);

        _time.Advance(TimeSpan.FromSeconds(10));
        _host.Network = new NetworkCounters(100, 3_000_000);
        var afterReset = collector.Sample(null).Net;

        Assert.Equal(0, afterReset.RxBytesPerSec);
        Assert.Equal(100_000, afterReset.TxBytesPerSec);

        _time.Advance(TimeSpan.FromSeconds(10));
        _host.Network = new NetworkCounters(1100, 3_000_000);

        Assert.Equal(100, collector.Sample(null).Net.RxBytesPerSec);
    }

    [Fact]
    public void Net_NoTimeElapsed_RateIsZero()
    {
        var collector = NewCollector();
        _host.Network = new NetworkCounters(0, 0);
        collector.Sample(null);
        _host.Network = new NetworkCounters(100, 100);

        Assert.Equal(0, collector.Sample(null).Net.RxBytesPerSec);
    }

    [Fact]
    public void Net_ReadFailsInBetween_RateSpansBackToLastGoodReading()
    {
        var collector = NewCollector();
        _host.Network = new NetworkCounters(0, 0);
        collector.Sample(null);

        _time.Advance(TimeSpan.FromSeconds(5));
        _host.Network = null;
        Assert.Equal(new NetStats(0, 0, 0, 0), collector.Sample(null).Net);

        _time.Advance(TimeSpan.FromSeconds(5));
        _host.Network = new NetworkCounters(1000, 0);
        Assert.Equal(100, collector.Sample(null).Net.RxBytesPerSec);
    }

    [Fact]
    public void Sample_FailingSources_GiveNeutralValuesNotExceptions()
    {
        _host.Cpu = null;
        _host.Memory = null;
        _host.Load = null;
        _host.Space = null;
        _host.Uptime = null;

        var data = NewCollector().Sample(null);

        Assert.Equal(0, data.Cpu);
        Assert.Equal(0, data.Mem);
        Assert.Null(data.Load);
        Assert.Equal(new DiskStats("/", 0, 0, 0, 0), data.Disk);
        Assert.Equal(0, data.UptimeSec);
    }

    [Fact]
    public void Load_HostWithoutLoadAverage_IsNullInJson_AndNotReportedAsAFailure()
    {
        // Windows has no load average (docs/protocol.md §3): only load is missing, everything else reads.
        _host.Load = null;
        var log = new RecordingLogger();

        var data = new StatsCollector(_host, _time, "1.2.3", log).Sample(null);

        Assert.Null(data.Load);
        Assert.Contains("\"load\":null", System.Text.Json.JsonSerializer.Serialize(data, TelemetryJsonContext.Default.StatsData), StringComparison.Ordinal);
        Assert.Empty(log.Entries);
    }

    [Fact]
    public void Sample_CopiesIdentityLoadUptimeAndLatency()
    {
        _host.Load = new LoadAverage(0.5, 0.25, 0.125);
        _host.Uptime = 1234.9;

        var data = NewCollector().Sample(12.5);

        Assert.Equal([0.5, 0.25, 0.125], data.Load);
        Assert.Equal(1234, data.UptimeSec);
        Assert.Equal(12.5, data.NetLatencyMs);
        Assert.Equal("2026-11-29T13:40:00.123Z", data.Ts);
        Assert.Equal("1.2.3", data.AgentVersion);
        Assert.Equal("linux", data.Os);
        Assert.Equal(Dns.GetHostName(), data.Hostname);
        Assert.Equal(Environment.ProcessorCount, data.CpuCount);
        Assert.Equal(NodeArch.From(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture), data.Arch);
    }

    [Fact]
    public void FormatTimestamp_NonUtcOffset_IsWrittenInUtcWithMilliseconds()
    {
        var local = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.FromHours(5));

        Assert.Equal("2026-01-01T22:04:05.006Z", StatsCollector.FormatTimestamp(local));
    }

    private sealed class RecordingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add(formatter(state, exception));
    }
}

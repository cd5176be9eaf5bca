using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Platform.HostStats;
using Tether.Protocol;
using Tether.Telemetry;

namespace Tether.Benchmarks;

/// <summary>
/// A whole <c>stats</c> sample of a host with 20 running containers next to one without: the
/// host counters (including disks, temperatures, per-core CPU), 1 + 20 Engine API calls over a
/// Unix socket, and the encoded frame. The engine is a stand-in in its own process
/// (<c>fake_engine.py</c>, Podman's answer shape), so only the agent's side is measured here.
/// </summary>
[MemoryDiagnoser]
public class ContainerBenchmarks
{
    private const int Containers = 20;
    private readonly EventFrameEncoder _encoder = new("/agents");
    private readonly string _socket = Path.Join(Path.GetTempPath(), $"tether-bench-engine-{Environment.ProcessId}.sock");
    private StatsCollector _collector = null!;
    private ContainerStatsSource _source = null!;
    private Process? _engine;

    [GlobalSetup]
    public void Setup()
    {
        var info = new ProcessStartInfo("python3") { ArgumentList = { Path.Join(AppContext.BaseDirectory, "fake_engine.py"), _socket, Containers.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        _engine = Process.Start(info)!;
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(_socket))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30) || _engine.HasExited)
            {
                throw new InvalidOperationException("the stand-in engine did not start");
            }

            Thread.Sleep(50);
        }

        _collector = new StatsCollector(HostStatsFactory.Create(), TimeProvider.System, "bench");
        _source = new ContainerStatsSource([new ContainerEngineSocket(_socket, false)], TimeProvider.System, NullLogger.Instance);
        _collector.Sample(0.2);
        if (_source.SampleAsync(CancellationToken.None).GetAwaiter().GetResult() is not { Count: Containers })
        {
            throw new InvalidOperationException("the stand-in engine did not list its containers");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_engine is { HasExited: false })
        {
            _engine.Kill();
            _engine.WaitForExit();
        }

        _engine?.Dispose();
        File.Delete(_socket);
    }

    [Benchmark(Description = "stats sample + encode, no containers")]
    public byte[] WithoutContainers() =>
        _encoder.Encode("stats", new StatsEnvelope(_collector.Sample(0.2)), StatsEnvelopeJsonContext.Default.StatsEnvelope);

    [Benchmark(Description = "stats sample + encode, 20 containers")]
    public async Task<byte[]> WithContainers()
    {
        var containers = await _source.SampleAsync(CancellationToken.None);
        return _encoder.Encode("stats", new StatsEnvelope(_collector.Sample(0.2) with { Containers = containers }), StatsEnvelopeJsonContext.Default.StatsEnvelope);
    }
}

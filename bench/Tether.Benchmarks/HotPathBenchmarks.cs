using BenchmarkDotNet.Attributes;
using Tether.Commands;
using Tether.Platform.HostStats;
using Tether.Protocol;
using Tether.Telemetry;
using Tether.Transport;

namespace Tether.Benchmarks;

/// <summary>
/// Handshake signing, the command tokenizer and the steady state of an idle agent: one
/// telemetry sample (reads /proc and statvfs) and its encoded <c>stats</c> frame.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private readonly EventFrameEncoder _encoder = new("/agents");
    private StatsCollector _collector = null!;

    [GlobalSetup]
    public void Setup()
    {
        _collector = new StatsCollector(HostStatsFactory.Create(), TimeProvider.System, "bench");
        _collector.Sample(0.2);   // the first sample primes the CPU and network deltas
    }

    [Benchmark(Description = "HandshakeSigner.Sign")]
    public string Sign() => HandshakeSigner.Sign("web-01", 1764000000000, "the shared secret of web-01");

    [Benchmark(Description = "CommandLineTokenizer.TryTokenize")]
    public bool Tokenize() => CommandLineTokenizer.TryTokenize("systemctl status 'nginx.service' --no-pager -n \"20\"", out _, out _);

    [Benchmark(Description = "StatsCollector.Sample")]
    public object Sample() => _collector.Sample(0.2);

    [Benchmark(Description = "stats sample + encode (steady state)")]
    public byte[] SampleAndEncode() =>
        _encoder.Encode("stats", new StatsEnvelope(_collector.Sample(0.2)), StatsEnvelopeJsonContext.Default.StatsEnvelope);
}

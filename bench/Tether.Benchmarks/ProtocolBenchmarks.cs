using System.Text;
using BenchmarkDotNet.Attributes;
using Tether.Protocol;

namespace Tether.Benchmarks;

/// <summary>Frame encode/decode: every inbound message and every outbound event passes here.</summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private readonly EventFrameEncoder _encoder = new("/agents");
    private readonly byte[] _inboundEngine = Encoding.UTF8.GetBytes(
        "42/agents,[\"admin_run\",{\"token\":\"t-1\",\"cmd\":{\"command\":\"systemctl status nginx\",\"timeoutSec\":30}}]");
    private readonly byte[] _ping = Encoding.UTF8.GetBytes("2");
    private const string InboundSocket =
        "2/agents,[\"admin_run\",{\"token\":\"t-1\",\"cmd\":{\"command\":\"systemctl status nginx\",\"timeoutSec\":30}}]";

    [Benchmark(Description = "EventFrameEncoder.Encode pong")]
    public byte[] EncodePong() => _encoder.Encode("pong", w => w.WriteNumber("ts", 1764000000000));

    [Benchmark(Description = "EnginePacketCodec.TryDecode ping")]
    public bool DecodeEnginePing() => EnginePacketCodec.TryDecode(_ping, out _, out _);

    [Benchmark(Description = "EnginePacketCodec.TryDecode message")]
    public bool DecodeEngineMessage() => EnginePacketCodec.TryDecode(_inboundEngine, out _, out _);

    [Benchmark(Description = "SocketPacketCodec.TryDecode event")]
    public bool DecodeSocketEvent() => SocketPacketCodec.TryDecode(InboundSocket, out _, out _);
}

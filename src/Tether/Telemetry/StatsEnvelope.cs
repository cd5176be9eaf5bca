using System.Text.Json.Serialization;

namespace Tether.Telemetry;

/// <summary>The <c>stats</c> payload: every figure inside <c>data</c> (docs/protocol.md §3).</summary>
internal sealed record StatsEnvelope(StatsData Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StatsEnvelope))]
internal sealed partial class StatsEnvelopeJsonContext : JsonSerializerContext;

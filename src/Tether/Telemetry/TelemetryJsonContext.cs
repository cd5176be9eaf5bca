using System.Text.Json.Serialization;

namespace Tether.Telemetry;

/// <summary>Source-generated JSON for telemetry: NativeAOT has no reflection serializer.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StatsData))]
internal sealed partial class TelemetryJsonContext : JsonSerializerContext;

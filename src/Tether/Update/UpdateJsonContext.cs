using System.Text.Json.Serialization;

namespace Tether.Update;

/// <summary>Source-generated JSON for the manifest and the update's state files (no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(UpdateManifest))]
[JsonSerializable(typeof(UpdateStateRecord))]
[JsonSerializable(typeof(ProbationRecord))]
[JsonSerializable(typeof(UpdateReport))]
internal sealed partial class UpdateJsonContext : JsonSerializerContext;

namespace Tether.Update;

/// <summary>
/// The signed manifest of one release file (docs/protocol.md §10), read from JSON exactly as signed.
/// Every member is optional here; <see cref="ManifestVerifier"/> says which are required.
/// </summary>
internal sealed class UpdateManifest
{
    /// <summary>Semantic version of the file, e.g. <c>0.2.0</c>.</summary>
    public string? Version { get; init; }

    /// <summary>The runtime identifier the file is built for: <c>linux-x64</c>, <c>linux-arm64</c>, <c>osx-arm64</c>, <c>win-x64</c>, …</summary>
    public string? Target { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Size of the file in bytes.</summary>
    public long? Size { get; init; }

    /// <summary>After this instant the manifest is refused (ISO 8601 with offset).</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Each agent waits a random part of this many seconds before it downloads (dashboard updates only).</summary>
    public int? RolloutDelaySec { get; init; }
}

namespace Tether.Config;

/// <summary>The <c>transport</c> section (docs/protocol.md §2).</summary>
internal sealed class TransportSettings
{
    /// <summary>engine.io path, starts with '/', no trailing '/'; default <c>/socket.io</c>.</summary>
    public string Path { get; init; } = "/socket.io";

    /// <summary>socket.io namespace, starts with '/'; default <c>/agents</c>.</summary>
    public string Namespace { get; init; } = "/agents";

    /// <summary>Absolute path of an extra trusted CA (PEM); checked at load to hold at least one certificate.</summary>
    public string? CaFile { get; init; }

    /// <summary>True when the file, AGENT_SKIP_TLS_VERIFY or <c>--insecure</c> turned verification off.</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>Largest outbound frame; 1024–1073741824, default 1,000,000.</summary>
    public int MaxPayloadBytes { get; init; } = 1_000_000;
}

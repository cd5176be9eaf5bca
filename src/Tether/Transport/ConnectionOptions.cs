namespace Tether.Transport;

/// <summary>What the connection loop needs from the configuration (docs/protocol.md §2, §7), decoupled from the config file shape.</summary>
internal sealed record ConnectionOptions
{
    public required Uri ServerUri { get; init; }
    public required string ClientId { get; init; }
    public required string AuthToken { get; init; }
    public string EnginePath { get; init; } = "/socket.io";
    public string Namespace { get; init; } = "/agents";
    public string? CaFile { get; init; }
    public bool SkipTlsVerify { get; init; }
    public int MaxPayloadBytes { get; init; } = 1_000_000;
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromSeconds(90);
    /// <summary>The limit of each phase of an attempt: resolve, TCP per address, proxy CONNECT, TLS, upgrade answer.</summary>
    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest inbound message assembled; the rest of a bigger one is read and dropped.</summary>
    public int MaxInboundMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The proxy to use for a target, or null for a direct connection (NO_PROXY, loopback).</summary>
    public Func<Uri, Uri?> ProxyFor { get; init; } = static _ => null;
}

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>How to start <c>tests/peer/server.js</c>; null means the peer's default.</summary>
public sealed record PeerOptions
{
    /// <summary>The HMAC key the agent must sign with.</summary>
    public string Token { get; init; } = "test-token";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public string? Namespace { get; init; }

    public string? Path { get; init; }

    /// <summary>PEM certificate (with <see cref="TlsKeyPath"/>): the peer serves https/wss.</summary>
    public string? TlsCertPath { get; init; }

    public string? TlsKeyPath { get; init; }

    public long? MaxHttpBufferSize { get; init; }

    public TimeSpan? PingInterval { get; init; }

    public TimeSpan? PingTimeout { get; init; }

    /// <summary>Accepted |now − ts|; the peer's default is 5 minutes.</summary>
    public TimeSpan? MaxSkew { get; init; }

    /// <summary>Emit <c>hello_ack</c> on connect (changeable later with <c>SetHelloAckAsync</c>).</summary>
    public bool HelloAck { get; init; } = true;

    /// <summary>How long to wait for the peer to listen.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    internal IEnumerable<string> ToArguments(int port)
    {
        yield return "--host";
        yield return Host;
        yield return "--port";
        yield return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--token";
        yield return Token;
        if (Namespace is not null)
        {
            yield return "--namespace";
            yield return Namespace;
        }

        if (Path is not null)
        {
            yield return "--path";
            yield return Path;
        }

        if (TlsCertPath is not null || TlsKeyPath is not null)
        {
            yield return "--tls-cert";
            yield return TlsCertPath ?? throw new InvalidOperationException("TlsKeyPath needs TlsCertPath");
            yield return "--tls-key";
            yield return TlsKeyPath ?? throw new InvalidOperationException("TlsCertPath needs TlsKeyPath");
        }

        if (MaxHttpBufferSize is { } max)
        {
            yield return "--max-http-buffer-size";
            yield return max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (PingInterval is { } interval)
        {
            yield return "--ping-interval";
            yield return Milliseconds(interval);
        }

        if (PingTimeout is { } timeout)
        {
            yield return "--ping-timeout";
            yield return Milliseconds(timeout);
        }

        if (MaxSkew is { } skew)
        {
            yield return "--max-skew-ms";
            yield return Milliseconds(skew);
        }

        if (!HelloAck)
        {
            yield return "--no-hello-ack";
        }
    }

    private static string Milliseconds(TimeSpan value) =>
        ((long)value.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

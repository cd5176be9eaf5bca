using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tether.Config;

namespace Tether.Transport;

/// <summary>
/// The one place an outbound connection is made (docs/protocol.md §2, §6), with nothing retrying
/// behind the agent: resolve → TCP (each address once, in the resolver's order) → optional proxy
/// CONNECT (credentials from the proxy URL, sent as Basic) → TLS checked against the system store
/// plus <c>transport.caFile</c> (or not at all with the explicit insecure opt-in). The proxy is
/// the one the agent's own rules choose, never the runtime's environment proxy. Each phase has
/// its own time limit and fails with a <see cref="ConnectFailedException"/> that names it. The
/// agent's WebSocket (<see cref="WebSocketConnector"/>), <c>tether check</c> and key sync
/// (<see cref="HttpGetClient"/>) all connect through here.
/// </summary>
/// <remarks>Immutable after construction; thread-safe.</remarks>
internal sealed partial class OutboundConnection
{
    /// <summary>The limit of each phase unless a caller says otherwise.</summary>
    public static readonly TimeSpan DefaultPhaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How much of an error body a failure message quotes.</summary>
    public const int BodyExcerptBytes = 200;

    private readonly Func<Uri, Uri?> _proxyFor;
    private readonly TimeSpan _phaseTimeout;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <param name="caFile">An extra CA bundle (PEM) trusted besides the system store; null for none.</param>
    /// <param name="skipTlsVerify">True only with the explicit insecure opt-in.</param>
    /// <param name="proxyFor">The proxy rules: the proxy URL for an http(s) target, null for a direct connection.</param>
    /// <param name="phaseTimeout">The limit of each phase (resolve, TCP per address, proxy, TLS, the answer to a request).</param>
    /// <param name="resolve">Name resolution; the system resolver (getaddrinfo, its address order) unless a test gives its own.</param>
    public OutboundConnection(string? caFile, bool skipTlsVerify, Func<Uri, Uri?> proxyFor, TimeSpan? phaseTimeout = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(proxyFor);
        X509Certificate2Collection? roots = caFile is null ? null : TlsPolicy.LoadCaFile(caFile);
        CertificateValidation = TlsPolicy.Create(roots, skipTlsVerify);
        _proxyFor = proxyFor;
        _phaseTimeout = phaseTimeout ?? DefaultPhaseTimeout;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>The User-Agent of every request the agent makes.</summary>
    public static string UserAgent { get; } = "tether/" + AgentInfo.Version;

    /// <summary>The TLS check for every connection this builder makes.</summary>
    public RemoteCertificateValidationCallback CertificateValidation { get; }

    /// <summary>The rules of <paramref name="config"/>: its caFile, insecure flag and proxy settings.</summary>
    public static OutboundConnection For(AgentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new OutboundConnection(config.Transport.CaFile, config.Transport.SkipTlsVerify, config.Proxy.ProxyFor);
    }

    /// <summary>The proxy URL (credentials included) for <paramref name="target"/>; ws/wss count as http/https.</summary>
    public Uri? ProxyUriFor(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var httpTarget = target.Scheme is "ws" or "wss"
            ? new UriBuilder(target) { Scheme = target.Scheme == "wss" ? Uri.UriSchemeHttps : Uri.UriSchemeHttp }.Uri
            : target;
        return _proxyFor(httpTarget);
    }

    /// <summary>
    /// A byte stream to <paramref name="target"/>'s host and port (http, https, ws or wss), through
    /// the proxy the rules choose, TLS-wrapped for https and wss. The caller owns the stream.
    /// </summary>
    public async Task<Stream> OpenAsync(Uri target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        Uri? proxy = ProxyUriFor(target);
        Stream? stream = null;
        try
        {
            if (proxy is null)
            {
                stream = await OpenTcpAsync(HostNames.Name(target), target.Port, "server", ct);
            }
            else
            {
                stream = await OpenTcpAsync(HostNames.Name(proxy), proxy.Port, "proxy", ct);
                if (proxy.Scheme == Uri.UriSchemeHttps)
                {
                    stream = await AuthenticateAsync(stream, HostNames.Name(proxy), "proxy TLS", ct);
                }

                stream = await ProxyConnectAsync(stream, target, proxy, ct);
            }

            if (target.Scheme is "wss" or "https")
            {
                stream = await AuthenticateAsync(stream, HostNames.Name(target), "TLS", ct);
            }

            return stream;
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            throw;
        }
    }
}

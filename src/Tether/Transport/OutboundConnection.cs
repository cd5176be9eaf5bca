using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tether.Config;

namespace Tether.Transport;

/// <summary>
/// The one place an outbound connection gets its rules (docs/protocol.md §2, §6): the proxy
/// chosen for the target by the agent's own proxy rules (never the runtime's environment
/// proxy), TLS checked against the system store plus <c>transport.caFile</c> (or not at all
/// with the explicit insecure opt-in), and the agent's User-Agent. Used by the agent's
/// connection (<see cref="WebSocketConnector"/>), by <c>tether check</c> and by key sync.
/// </summary>
/// <remarks>Immutable after construction; thread-safe.</remarks>
internal sealed class OutboundConnection
{
    private readonly Func<Uri, Uri?> _proxyFor;

    /// <param name="caFile">An extra CA bundle (PEM) trusted besides the system store; null for none.</param>
    /// <param name="skipTlsVerify">True only with the explicit insecure opt-in.</param>
    /// <param name="proxyFor">The proxy rules: the proxy URL for an http(s) target, null for a direct connection.</param>
    public OutboundConnection(string? caFile, bool skipTlsVerify, Func<Uri, Uri?> proxyFor)
    {
        ArgumentNullException.ThrowIfNull(proxyFor);
        X509Certificate2Collection? roots = caFile is null ? null : TlsPolicy.LoadCaFile(caFile);
        CertificateValidation = TlsPolicy.Create(roots, skipTlsVerify);
        _proxyFor = proxyFor;
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

    /// <summary>An HTTP handler for requests to <paramref name="target"/>'s host with these rules.</summary>
    public SocketsHttpHandler CreateHttpHandler(Uri target)
    {
        var proxy = ProxyClient.Create(ProxyUriFor(target));
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = CertificateValidation },
            Proxy = proxy,
            UseProxy = proxy is not null, // never the runtime's own environment proxy: our rules decide
        };
    }
}

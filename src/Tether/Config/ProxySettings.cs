using System.Net;
using System.Text;

namespace Tether.Config;

/// <summary>
/// Proxy selection from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (docs/protocol.md §2): an https target uses
/// <see cref="HttpsProxy"/>, an http target <see cref="HttpProxy"/>; loopback targets and NO_PROXY
/// matches go direct. The proxy URIs may carry credentials (UserInfo): use <see cref="ToString"/> or
/// <see cref="Redact"/> for logs, never the URI itself.
/// </summary>
/// <remarks>Immutable, thread-safe.</remarks>
internal sealed class ProxySettings
{
    public ProxySettings(Uri? httpsProxy, Uri? httpProxy, IReadOnlyList<NoProxyRule> noProxy)
    {
        HttpsProxy = httpsProxy;
        HttpProxy = httpProxy;
        NoProxy = noProxy;
    }

    public static ProxySettings None { get; } = new(null, null, []);

    public Uri? HttpsProxy { get; }

    public Uri? HttpProxy { get; }

    public IReadOnlyList<NoProxyRule> NoProxy { get; }

    /// <summary>The proxy to use for <paramref name="target"/> (http/https/ws/wss), or null to connect directly.</summary>
    public Uri? ProxyFor(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var proxy = target.Scheme switch
        {
            "https" or "wss" => HttpsProxy,
            "http" or "ws" => HttpProxy,
            _ => null,
        };
        if (proxy is null)
        {
            return null;
        }

        var host = target.IdnHost.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        var address = IPAddress.TryParse(host, out var ip) ? NoProxyRule.Normalize(ip) : null;
        if (IsLoopback(host, address))
        {
            return null;
        }

        var port = target.Port;
        foreach (var rule in NoProxy)
        {
            if (rule.Matches(host, address, port))
            {
                return null;
            }
        }

        return proxy;
    }

    /// <summary>The proxy URL with any credentials replaced by <c>***</c>.</summary>
    public static string Redact(Uri proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var builder = new UriBuilder(proxy);
        if (builder.UserName.Length > 0 || builder.Password.Length > 0)
        {
            builder.UserName = "***";
            builder.Password = string.Empty;
        }

        return builder.Uri.GetLeftPart(UriPartial.Path);
    }

    /// <summary>Redacts a raw proxy variable value that may not even parse: everything before the last '@' of the authority goes.</summary>
    public static string RedactRaw(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.LastIndexOf('@');
        if (at < 0)
        {
            return value;
        }

        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var start = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        return string.Concat(value.AsSpan(0, start), "***", value.AsSpan(at));
    }

    /// <summary>A log-safe description, credentials redacted.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("https proxy ").Append(HttpsProxy is null ? "none" : Redact(HttpsProxy));
        sb.Append(", http proxy ").Append(HttpProxy is null ? "none" : Redact(HttpProxy));
        sb.Append(", no_proxy [").AppendJoin(",", NoProxy.Select(r => r.Text)).Append(']');
        return sb.ToString();
    }

    private static bool IsLoopback(string host, IPAddress? address) =>
        address is not null
            ? IPAddress.IsLoopback(address)
            : host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);
}

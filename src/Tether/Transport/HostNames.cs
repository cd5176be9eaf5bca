using System.Globalization;

namespace Tether.Transport;

/// <summary>The three ways the agent writes a URI's host. Pure.</summary>
internal static class HostNames
{
    /// <summary>Without brackets: what DNS, TLS (SNI, name check) and IP parsing take.</summary>
    public static string Name(Uri uri) => uri.IdnHost.Trim('[', ']');

    /// <summary>As in a URL, a Host header or a CONNECT line: IPv6 literals in brackets.</summary>
    public static string Literal(Uri uri) =>
        uri.HostNameType == UriHostNameType.IPv6 ? "[" + Name(uri) + "]" : uri.IdnHost;

    /// <summary>The Host header: <see cref="Literal"/>, with the port unless it is the scheme's default.</summary>
    public static string HostHeader(Uri uri) =>
        Literal(uri) + (uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture));

    /// <summary>host:port for a CONNECT request, the port always written.</summary>
    public static string Authority(Uri uri) => Literal(uri) + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
}

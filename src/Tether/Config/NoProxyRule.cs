using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tether.Config;

/// <summary>
/// One entry of NO_PROXY: <c>*</c>, a host name (covers itself and its subdomains; a leading
/// <c>.</c> or <c>*.</c> means the same), an IP literal or CIDR block, each with an optional <c>:port</c>.
/// </summary>
internal sealed class NoProxyRule
{
    private NoProxyRule(string text, bool matchesAll, string? host, IPAddress? address, IPNetwork? network, int? port)
    {
        Text = text;
        MatchesAll = matchesAll;
        Host = host;
        Address = address;
        Network = network;
        Port = port;
    }

    /// <summary>The entry as written (trimmed).</summary>
    public string Text { get; }

    public bool MatchesAll { get; }

    /// <summary>Lower-case host name without leading dot, or null for IP / CIDR rules.</summary>
    public string? Host { get; }

    public IPAddress? Address { get; }

    public IPNetwork? Network { get; }

    /// <summary>When set, only this target port matches.</summary>
    public int? Port { get; }

    public static bool TryParse(string entry, out NoProxyRule? rule)
    {
        rule = null;
        var text = entry.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (text == "*")
        {
            rule = new NoProxyRule(text, true, null, null, null, null);
            return true;
        }

        var hostPart = text;
        int? port = null;

        if (hostPart.StartsWith('['))
        {
            // [v6]:port or [v6]
            var close = hostPart.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            var rest = hostPart[(close + 1)..];
            hostPart = hostPart[1..close];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':') || !TryParsePort(rest[1..], out var p))
                {
                    return false;
                }

                port = p;
            }
        }
        else if (hostPart.Count(c => c == ':') == 1)
        {
            // host:port or v4:port; a bare IPv6 literal has several colons and no port.
            var colon = hostPart.IndexOf(':', StringComparison.Ordinal);
            if (!TryParsePort(hostPart[(colon + 1)..], out var p))
            {
                return false;
            }

            port = p;
            hostPart = hostPart[..colon];
        }

        if (hostPart.Contains('/', StringComparison.Ordinal))
        {
            if (!IPNetwork.TryParse(hostPart, out var network))
            {
                return false;
            }

            rule = new NoProxyRule(text, false, null, null, network, port);
            return true;
        }

        if (IPAddress.TryParse(hostPart, out var address))
        {
            rule = new NoProxyRule(text, false, null, Normalize(address), null, port);
            return true;
        }

        var host = hostPart.ToLowerInvariant();
        if (host.StartsWith("*.", StringComparison.Ordinal))
        {
            host = host[2..];
        }

        host = host.TrimStart('.').TrimEnd('.');
        if (host.Length == 0 || Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            return false;
        }

        rule = new NoProxyRule(text, false, host, null, null, port);
        return true;
    }

    /// <summary>Whether a target (lower-case host without brackets or trailing dot, its IP if a literal, its port) is excluded.</summary>
    public bool Matches(string host, IPAddress? address, int port)
    {
        if (MatchesAll)
        {
            return true;
        }

        if (Port is { } p && p != port)
        {
            return false;
        }

        if (Host is not null)
        {
            return address is null
                && (host == Host || host.EndsWith("." + Host, StringComparison.Ordinal));
        }

        if (address is null)
        {
            return false;
        }

        return Address is not null ? Address.Equals(address) : Network!.Value.Contains(address);
    }

    internal static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6
            ? address.MapToIPv4()
            : address;

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}

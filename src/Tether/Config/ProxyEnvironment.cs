namespace Tether.Config;

/// <summary>Reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY (upper case wins over lower case; empty = unset) into <see cref="ProxySettings"/>.</summary>
internal static class ProxyEnvironment
{
    /// <summary>Settings, or null with <paramref name="error"/> set (no credentials in it). Bad NO_PROXY entries are skipped with a warning.</summary>
    public static ProxySettings? Parse(IReadOnlyDictionary<string, string?> environment, out string? error, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        error = null;
        Uri? https = null;
        Uri? http = null;
        foreach (var (upper, lower) in new[] { ("HTTPS_PROXY", "https_proxy"), ("HTTP_PROXY", "http_proxy") })
        {
            var (name, value) = Lookup(environment, upper, lower);
            if (value is null)
            {
                continue;
            }

            if (!TryParseProxy(value, out var uri))
            {
                error = $"{name} must be an http:// or https:// URL (got {ConfigReader.Quote(ProxySettings.RedactRaw(value))})";
                return null;
            }

            if (upper == "HTTPS_PROXY")
            {
                https = uri;
            }
            else
            {
                http = uri;
            }
        }

        var rules = new List<NoProxyRule>();
        var (noProxyName, noProxy) = Lookup(environment, "NO_PROXY", "no_proxy");
        foreach (var entry in (noProxy ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (NoProxyRule.TryParse(entry, out var rule))
            {
                rules.Add(rule!);
            }
            else
            {
                warnings?.Add($"{noProxyName} entry {ConfigReader.Quote(entry)} ignored: not *, a host name, an IP address or a CIDR block with an optional :port");
            }
        }

        return https is null && http is null && rules.Count == 0 ? ProxySettings.None : new ProxySettings(https, http, rules);
    }

    private static (string Name, string? Value) Lookup(IReadOnlyDictionary<string, string?> env, string upper, string lower)
    {
        if (env.TryGetValue(upper, out var u) && !string.IsNullOrWhiteSpace(u))
        {
            return (upper, u.Trim());
        }

        if (env.TryGetValue(lower, out var l) && !string.IsNullOrWhiteSpace(l))
        {
            return (lower, l.Trim());
        }

        return (upper, null);
    }

    private static bool TryParseProxy(string value, out Uri? uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri)
        && uri.Scheme is "http" or "https"
        && !string.IsNullOrEmpty(uri.Host)
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0;
}

namespace Tether.Config;

/// <summary>The <c>keys</c> section (docs/protocol.md §6).</summary>
internal sealed class KeysSettings
{
    /// <summary>
    /// <c>keys.enabled</c> (default true, as the Node agent): false refuses every <c>sync_keys</c>
    /// before any request, so the dashboard cannot add SSH keys to this host
    /// (<c>service install --monitor-only</c> sets it).
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>http(s) URL without a trailing slash, query or fragment; default <c>https://github.com</c>.</summary>
    public Uri BaseUrl { get; init; } = new("https://github.com");

    /// <summary><c>&lt;baseUrl&gt;/&lt;user&gt;.keys</c>, keeping any base path (docs/protocol.md §6); validate <paramref name="user"/> first.</summary>
    public Uri KeysUrl(string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return new Uri(BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + Uri.EscapeDataString(user) + ".keys");
    }

    /// <summary>Absolute; default <c>~/.ssh/authorized_keys</c> of the agent user.</summary>
    public required string AuthorizedKeysFile { get; init; }
}

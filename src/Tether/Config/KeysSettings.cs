namespace Tether.Config;

/// <summary>The <c>keys</c> section (CONTRACT §6).</summary>
internal sealed class KeysSettings
{
    /// <summary>http(s) URL without a trailing slash, query or fragment; default <c>https://github.com</c>.</summary>
    public Uri BaseUrl { get; init; } = new("https://github.com");

    /// <summary>Absolute; default <c>~/.ssh/authorized_keys</c> of the agent user.</summary>
    public required string AuthorizedKeysFile { get; init; }
}

using System.Text.RegularExpressions;

namespace Tether.Logging;

/// <summary>
/// The last line of defence for docs/protocol.md §7 "authToken, sig and key material never appear in a log":
/// recognises sensitive property names and scrubs secrets out of free text (query values such as
/// <c>sig=…</c>/<c>token=…</c>, JSON fields, URL credentials, Authorization values, SSH keys, and the
/// configured secrets verbatim).
/// </summary>
/// <remarks>Immutable, thread-safe.</remarks>
internal sealed partial class LogRedactor
{
    public const string Mask = "***";

    private static readonly HashSet<string> SensitiveNames = new(StringComparer.Ordinal)
    {
        "sig", "key", "auth", "authorization", "proxyauthorization", "cookie", "setcookie", "pwd", "passwd",
    };

    private static readonly string[] SensitiveSuffixes =
    [
        "token", "secret", "password", "signature", "privatekey", "publickey", "keymaterial", "keydata", "keyblob",
        "authorizedkey", "authorizedkeys", "credential", "credentials",
    ];

    private readonly string[] _secrets;

    /// <param name="secrets">Values never to print (the auth token); ones shorter than 6 characters are ignored to avoid masking ordinary text.</param>
    public LogRedactor(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets.Where(s => s is { Length: >= 6 }).Select(s => s!).Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length).ToArray();
    }

    public static LogRedactor Default { get; } = new([]);

    /// <summary>True for property names such as authToken, token, sig, signature, password, secret, key, publicKey.</summary>
    public static bool IsSensitiveName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 128)];
        var length = 0;
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c) && length < buffer.Length)
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        var normalized = new string(buffer[..length]);
        if (SensitiveNames.Contains(normalized))
        {
            return true;
        }

        foreach (var suffix in SensitiveSuffixes)
        {
            if (normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text with every recognised secret replaced by <see cref="Mask"/>.</summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        // Evaluators, not "${group}" replacement strings: those are parsed at run time by the
        // regex parser, which the source-generated patterns otherwise leave out of the binary.
        text = PrivateKeyPattern().Replace(text, static _ => "[private key redacted]");
        text = SshPublicKeyPattern().Replace(text, static m => m.Groups["type"].Value + " " + Mask);
        text = QueryValuePattern().Replace(text, static m => m.Groups["name"].Value + "=" + Mask);
        text = JsonFieldPattern().Replace(text, static m => "\"" + m.Groups["name"].Value + "\"" + m.Groups["sep"].Value + "\"" + Mask + "\"");
        text = UserInfoPattern().Replace(text, static m => m.Groups["scheme"].Value + Mask + "@");
        text = AuthorizationPattern().Replace(text, static m => m.Groups["scheme"].Value + " " + Mask);
        return text;
    }

    [GeneratedRegex(@"(?<name>\b(?:sig|signature|token|auth[_-]?token|access[_-]?token|refresh[_-]?token|password|passwd|pwd|secret|api[_-]?key)\b)=(?<value>[^&\s""'#,;]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryValuePattern();

    [GeneratedRegex(@"""(?<name>auth[_-]?token|token|sig|signature|password|secret|key|privateKey)""(?<sep>\s*:\s*)""(?:[^""\\]|\\.)*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JsonFieldPattern();

    [GeneratedRegex(@"(?<scheme>\b[a-z][a-z0-9+.-]*://)[^/\s@?#]+@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPattern();

    [GeneratedRegex(@"(?<scheme>\b(?:bearer|basic))\s+[A-Za-z0-9._~+/=-]{6,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex(@"(?<type>\b(?:ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com))\s+[A-Za-z0-9+/]{16,}={0,3}", RegexOptions.CultureInvariant)]
    private static partial Regex SshPublicKeyPattern();

    [GeneratedRegex(@"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKeyPattern();
}

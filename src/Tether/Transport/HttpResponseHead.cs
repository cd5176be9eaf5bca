using System.Globalization;
using System.Text;
using Tether.Policy;

namespace Tether.Transport;

/// <summary>
/// The status line and headers of an HTTP/1.1 response, read up to the blank line; what follows
/// it (the body, or the first WebSocket frames after a 101) is the caller's. Pure.
/// </summary>
internal sealed class HttpResponseHead
{
    /// <summary>Longest head accepted; a server or proxy that sends more is not one we talk to.</summary>
    public const int MaxBytes = 16 * 1024;

    private static readonly byte[] s_end = "\r\n\r\n"u8.ToArray();

    private readonly Dictionary<string, string> _headers;

    private HttpResponseHead(int status, string reason, string statusLine, Dictionary<string, string> headers)
    {
        Status = status;
        Reason = reason;
        StatusLine = statusLine;
        _headers = headers;
    }

    public int Status { get; }

    /// <summary>The reason phrase (<c>Not Found</c>), printable; empty when the server sent none.</summary>
    public string Reason { get; }

    /// <summary>The first line, e.g. <c>HTTP/1.1 502 Bad Gateway</c>, with control characters removed.</summary>
    public string StatusLine { get; }

    /// <summary>The header's value (repeated headers joined by <c>, </c>), or null.</summary>
    public string? this[string name] => _headers.GetValueOrDefault(name);

    /// <summary>The length of the head including its blank line, or -1 when <paramref name="data"/> does not hold all of it yet.</summary>
    public static int FindEnd(ReadOnlySpan<byte> data)
    {
        int i = data.IndexOf(s_end);
        return i < 0 ? -1 : i + s_end.Length;
    }

    /// <summary>Parses a complete head (as delimited by <see cref="FindEnd"/>).</summary>
    public static bool TryParse(ReadOnlySpan<byte> head, out HttpResponseHead? result, out string error)
    {
        result = null;
        string text = Encoding.Latin1.GetString(head);
        string[] lines = text.Split("\r\n");
        string statusLine = TextChecks.ForDisplay(lines[0]);
        string[] parts = lines[0].Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            error = $"not an HTTP/1.1 response: '{Truncate(statusLine, 80)}'";
            return false;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                error = $"malformed header line in '{Truncate(statusLine, 80)}'";
                return false;
            }

            string name = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
        }

        result = new HttpResponseHead(status, parts.Length > 2 ? TextChecks.ForDisplay(parts[2].Trim(), 100) : string.Empty, statusLine, headers);
        error = string.Empty;
        return true;
    }

    /// <summary>True when a comma-separated header holds <paramref name="token"/> (case-insensitive), as <c>Connection: keep-alive, Upgrade</c>.</summary>
    public bool HasToken(string name, string token) =>
        this[name] is { } value && value.Split(',').Any(t => string.Equals(t.Trim(), token, StringComparison.OrdinalIgnoreCase));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}

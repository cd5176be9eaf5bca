using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// One connection an <see cref="AttemptListener"/> accepted, once the client closed it: every
/// request line it carried and the first request's target, query and headers.
/// </summary>
/// <param name="Index">Accept order, from 0.</param>
/// <param name="AcceptedAt">When it was accepted, from the listener's start (monotonic).</param>
/// <param name="ClosedAt">When the listener saw the client close it (or reset it).</param>
/// <param name="RequestLines">Every line shaped like an HTTP request line, in order.</param>
/// <param name="Headers">The first request's header lines, in order (repeats kept).</param>
/// <param name="SentAccept">The Sec-WebSocket-Accept the listener answered with, if any.</param>
public sealed partial record AttemptConnection(
    int Index,
    IPEndPoint Remote,
    TimeSpan AcceptedAt,
    TimeSpan ClosedAt,
    int BytesReceived,
    IReadOnlyList<string> RequestLines,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? SentAccept)
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>The first request line, or empty when none arrived.</summary>
    public string RequestLine => RequestLines.Count > 0 ? RequestLines[0] : string.Empty;

    /// <summary>The first request's target (path and query).</summary>
    public string Target => RequestLine.Split(' ') is { Length: 3 } parts ? parts[1] : string.Empty;

    public string Path => Target.Split('?', 2)[0];

    /// <summary>The first request's query parameters, unescaped; a repeated name keeps its first value.</summary>
    public IReadOnlyDictionary<string, string> Query
    {
        get
        {
            var query = new Dictionary<string, string>(StringComparer.Ordinal);
            string[] split = Target.Split('?', 2);
            if (split.Length < 2)
            {
                return query;
            }

            foreach (string pair in split[1].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] kv = pair.Split('=', 2);
                query.TryAdd(Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty);
            }

            return query;
        }
    }

    /// <summary>base64(SHA-1(key + RFC 6455 GUID)): the Sec-WebSocket-Accept that completes a handshake for <paramref name="key"/>.</summary>
    public static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    /// <summary>Every value of the first request's header <paramref name="name"/> (case-insensitive).</summary>
    public IReadOnlyList<string> HeaderValues(string name) =>
        [.. Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    internal static AttemptConnection Parse(int index, IPEndPoint remote, TimeSpan acceptedAt, TimeSpan closedAt, byte[] received, string? sentAccept)
    {
        string text = Encoding.Latin1.GetString(received);
        string[] lines = text.Split("\r\n");
        var requestLines = lines.Where(l => RequestLinePattern().IsMatch(l)).ToList();
        var headers = new List<KeyValuePair<string, string>>();
        int first = Array.FindIndex(lines, l => RequestLinePattern().IsMatch(l));
        for (int i = first + 1; first >= 0 && i < lines.Length && lines[i].Length > 0; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers.Add(colon > 0
                ? new(lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim())
                : new(lines[i], string.Empty));
        }

        return new AttemptConnection(index, remote, acceptedAt, closedAt, received.Length, requestLines, headers, sentAccept);
    }

    [GeneratedRegex(@"^[A-Z]+ \S+ HTTP/\d\.\d$")]
    private static partial Regex RequestLinePattern();
}

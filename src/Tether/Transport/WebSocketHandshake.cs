using System.Security.Cryptography;
using System.Text;
using Tether.Policy;

namespace Tether.Transport;

/// <summary>
/// The client side of the RFC 6455 opening handshake, written by the agent: one GET with a fresh
/// <c>Sec-WebSocket-Key</c>, and the checks on the answer (101, <c>Upgrade: websocket</c>,
/// <c>Connection: Upgrade</c>, <c>Sec-WebSocket-Accept</c>). Refusals are described in words
/// an operator can act on. Pure apart from the random key.
/// </summary>
internal static class WebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>A fresh 16-byte nonce in base64.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>base64(SHA-1(key + GUID)): what the server must send back.</summary>
    public static string ExpectedAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    /// <summary>The request bytes for <paramref name="target"/> (a ws:// or wss:// URI, query included).</summary>
    public static byte[] BuildRequest(Uri target, string key, string userAgent)
    {
        string request =
            $"GET {target.PathAndQuery} HTTP/1.1\r\n" +
            $"Host: {HostNames.HostHeader(target)}\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            $"User-Agent: {userAgent}\r\n" +
            "\r\n";
        return Encoding.ASCII.GetBytes(request);
    }

    /// <summary>Null when <paramref name="head"/> completes the handshake for <paramref name="key"/>; else why not.</summary>
    public static string? Check(HttpResponseHead head, string key, ReadOnlySpan<byte> body)
    {
        if (head.Status != 101)
        {
            return DescribeRefusal(head, body);
        }

        if (!string.Equals(head["Upgrade"], "websocket", StringComparison.OrdinalIgnoreCase))
        {
            return $"server answered 101 without 'Upgrade: websocket' ({head.StatusLine})";
        }

        if (!head.HasToken("Connection", "Upgrade"))
        {
            return $"server answered 101 without 'Connection: Upgrade' ({head.StatusLine})";
        }

        if (!string.Equals(head["Sec-WebSocket-Accept"], ExpectedAccept(key), StringComparison.Ordinal))
        {
            return "server answered 101 with a wrong Sec-WebSocket-Accept (not a WebSocket server, or a proxy that rewrites the handshake?)";
        }

        return null;
    }

    private static string DescribeRefusal(HttpResponseHead head, ReadOnlySpan<byte> body)
    {
        string hint = head.Status switch
        {
            400 => "not a socket.io v4 endpoint, or transport.path wrong?",
            401 or 403 => "bad authToken or clock skew?",
            404 => "wrong serverUrl base or transport.path?",
            407 => "a proxy wants credentials",
            >= 500 and <= 599 => "the dashboard is down or restarting, or a load balancer has no backend",
            _ => "not a WebSocket upgrade",
        };
        string text = head.StatusLine;
        if (head.Status >= 400 && !body.IsEmpty)
        {
            text += ", body: \"" + TextChecks.ForDisplay(Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)]), 200) + "\"";
        }

        return $"server answered {text} ({hint})";
    }
}

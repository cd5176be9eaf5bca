using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tether.Transport;

/// <summary>
/// The handshake signature of docs/protocol.md §2: lowercase hex HMAC-SHA256 keyed by <c>authToken</c>
/// over exactly the bytes of Node's <c>JSON.stringify({clientId, ts})</c>. Written by hand because
/// System.Text.Json escapes differently from JavaScript (it escapes <c>&lt;</c>, <c>&amp;</c>,
/// non-ASCII; JavaScript leaves them). Thread-safe: no state.
/// </summary>
internal static class HandshakeSigner
{
    public static string Sign(string clientId, long ts, string authToken)
    {
        byte[] payload = Encoding.UTF8.GetBytes(StringifyJs(clientId, ts));
        byte[] key = Encoding.UTF8.GetBytes(authToken);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, payload, mac);
        CryptographicOperations.ZeroMemory(key);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary><c>JSON.stringify({clientId, ts})</c> as ECMAScript defines it (well-formed JSON.stringify, ES2019).</summary>
    public static string StringifyJs(string clientId, long ts)
    {
        var sb = new StringBuilder(clientId.Length + 40);
        sb.Append("{\"clientId\":\"");
        for (int i = 0; i < clientId.Length; i++)
        {
            char c = clientId[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        AppendUnicodeEscape(sb, c);
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < clientId.Length && char.IsLowSurrogate(clientId[i + 1]))
                    {
                        sb.Append(c).Append(clientId[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // A lone surrogate: JSON.stringify escapes it instead of emitting invalid UTF-16.
                        AppendUnicodeEscape(sb, c);
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append("\",\"ts\":").Append(ts.ToString(CultureInfo.InvariantCulture)).Append('}');
        return sb.ToString();
    }

    private static void AppendUnicodeEscape(StringBuilder sb, char c) =>
        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}

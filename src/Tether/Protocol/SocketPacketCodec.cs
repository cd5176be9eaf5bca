using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Tether.Protocol;

/// <summary>
/// socket.io v5 packets inside an engine.io MESSAGE: <c>&lt;type&gt;[&lt;nsp&gt;,][&lt;ackId&gt;][&lt;json&gt;]</c>.
/// The ack id sits after the namespace comma (<c>42/agents,17["name",…]</c>). Pure, no I/O.
/// Binary packets (types 5 and 6) are refused: no event of the contract carries attachments.
/// </summary>
internal static class SocketPacketCodec
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static bool TryDecode(string text, out SocketPacket? packet, out string error)
    {
        packet = null;
        if (text.Length == 0)
        {
            error = "empty socket.io packet";
            return false;
        }

        int type = text[0] - '0';
        if (type is < 0 or > 6)
        {
            error = "unknown socket.io packet type";
            return false;
        }

        if (type is (int)SocketPacketType.BinaryEvent or (int)SocketPacketType.BinaryAck)
        {
            error = "binary socket.io packets are not supported";
            return false;
        }

        int pos = 1;
        string nsp = "/";
        if (pos < text.Length && text[pos] == '/')
        {
            int comma = text.IndexOf(',', pos);
            int end = comma < 0 ? text.Length : comma;
            nsp = text[pos..end];
            pos = comma < 0 ? text.Length : comma + 1;
        }

        long? ackId = null;
        int digitsStart = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }

        if (pos > digitsStart)
        {
            if (pos - digitsStart > 15 || !long.TryParse(text.AsSpan(digitsStart, pos - digitsStart), out long id))
            {
                error = "socket.io ack id out of range";
                return false;
            }

            ackId = id;
        }

        JsonElement? data = null;
        if (pos < text.Length)
        {
            try
            {
                using var doc = JsonDocument.Parse(text.AsMemory(pos), DocumentOptions);
                data = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                error = "socket.io packet data is not JSON: " + ex.Message;
                return false;
            }
        }

        var kind = (SocketPacketType)type;
        if (kind == SocketPacketType.Event
            && (data is not { ValueKind: JsonValueKind.Array } arr || arr.GetArrayLength() == 0 || arr[0].ValueKind != JsonValueKind.String))
        {
            error = "socket.io event without a name";
            return false;
        }

        packet = new SocketPacket(kind, nsp, ackId, data);
        error = string.Empty;
        return true;
    }

    /// <summary>The engine.io + socket.io prefix of a packet: <c>4&lt;type&gt;</c> and <c>/nsp,</c> unless the namespace is <c>/</c>.</summary>
    public static void WritePrefix(IBufferWriter<byte> output, SocketPacketType type, string nsp)
    {
        Span<byte> head = output.GetSpan(2);
        head[0] = (byte)'4';
        head[1] = (byte)('0' + (int)type);
        output.Advance(2);
        if (nsp != "/")
        {
            int max = Encoding.UTF8.GetMaxByteCount(nsp.Length) + 1;
            Span<byte> span = output.GetSpan(max);
            int n = Encoding.UTF8.GetBytes(nsp, span);
            span[n] = (byte)',';
            output.Advance(n + 1);
        }
    }

    /// <summary>CONNECT with an auth object: <c>40/agents,{…}</c>.</summary>
    public static byte[] EncodeConnect(string nsp, Action<Utf8JsonWriter> writeAuthMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WritePrefix(buffer, SocketPacketType.Connect, nsp);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeAuthMembers(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>DISCONNECT for the namespace: <c>41/agents,</c>.</summary>
    public static byte[] EncodeDisconnect(string nsp)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        WritePrefix(buffer, SocketPacketType.Disconnect, nsp);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>ACK with no arguments for an inbound event that asked for one: <c>43/agents,17[]</c>.</summary>
    public static byte[] EncodeAck(string nsp, long ackId)
    {
        var buffer = new ArrayBufferWriter<byte>(48);
        WritePrefix(buffer, SocketPacketType.Ack, nsp);
        Span<byte> span = buffer.GetSpan(24);
        ackId.TryFormat(span, out int n, provider: System.Globalization.CultureInfo.InvariantCulture);
        span[n] = (byte)'[';
        span[n + 1] = (byte)']';
        buffer.Advance(n + 2);
        return buffer.WrittenSpan.ToArray();
    }
}

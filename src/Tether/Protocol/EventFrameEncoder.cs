using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tether.Protocol;

/// <summary>
/// Encodes outbound socket.io EVENT frames, <c>42/agents,["name",{"type":"name","t":"name",…}]</c>,
/// as the exact bytes that go on the wire, so size checks measure the encoded JSON
/// (CONTRACT §2 frame size, §3 <c>type</c>/<c>t</c> on every payload). Thread-safe: no state.
/// </summary>
internal sealed class EventFrameEncoder(string nsp)
{
    /// <summary>Non-ASCII text stays UTF-8 (3 bytes for 中, not a 6-byte escape); quotes, backslashes and control characters are escaped.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public string Namespace { get; } = nsp;

    /// <summary>Encodes an event whose payload members are written by <paramref name="writeMembers"/>.</summary>
    public byte[] Encode(string name, Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        SocketPacketCodec.WritePrefix(buffer, SocketPacketType.Event, Namespace);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            writer.WriteStartObject();
            writer.WriteString("type", name);
            writer.WriteString("t", name);
            writeMembers(writer);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes an event whose payload is a source-generated JSON object type.</summary>
    public byte[] Encode<T>(string name, T payload, JsonTypeInfo<T> typeInfo)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var bodyWriter = new Utf8JsonWriter(body, WriterOptions))
        {
            JsonSerializer.Serialize(bodyWriter, payload, typeInfo);
        }

        ReadOnlySpan<byte> members = body.WrittenSpan;
        if (members.Length < 2 || members[0] != (byte)'{')
        {
            throw new ArgumentException($"payload of '{name}' must serialize to a JSON object", nameof(payload));
        }

        var buffer = new ArrayBufferWriter<byte>(members.Length + 64);
        SocketPacketCodec.WritePrefix(buffer, SocketPacketType.Event, Namespace);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            writer.WriteStartObject();
            writer.WriteString("type", name);
            writer.WriteString("t", name);
            writer.Flush();
            // The payload's own members follow ours inside the same object.
            ReadOnlySpan<byte> inner = members[1..^1];
            if (!inner.IsEmpty)
            {
                buffer.Write(","u8);
                buffer.Write(inner);
            }

            buffer.Write("}]"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

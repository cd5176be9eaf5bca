using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tether.Protocol;

/// <summary>
/// Encodes outbound socket.io EVENT frames, <c>42/agents,["name",{"type":"name","t":"name",…}]</c>,
/// as the exact bytes that go on the wire, so size checks measure the encoded JSON
/// (docs/protocol.md §2 frame size, §3 <c>type</c>/<c>t</c> on every payload). Thread-safe: no state.
/// </summary>
internal sealed class EventFrameEncoder(string nsp)
{
    /// <summary>Non-ASCII text stays UTF-8 (3 bytes for 中, not a 6-byte escape); quotes, backslashes and control characters are escaped.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public string Namespace { get; } = nsp;

    /// <summary>Encodes an event whose payload members are written by <paramref name="writeMembers"/>.</summary>
    public byte[] Encode(string name, Action<Utf8JsonWriter> writeMembers)
    {
        var scratch = Scratch.Rent();
        Utf8JsonWriter writer = WriteHead(scratch, name);
        writeMembers(writer);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.Flush();
        return scratch.ReturnFrame();
    }

    /// <summary>Encodes an event whose payload is a source-generated JSON object type.</summary>
    public byte[] Encode<T>(string name, T payload, JsonTypeInfo<T> typeInfo)
    {
        var scratch = Scratch.Rent();
        JsonSerializer.Serialize(scratch.BodyWriter, payload, typeInfo);
        scratch.BodyWriter.Flush();
        ReadOnlySpan<byte> members = scratch.Body.WrittenSpan;
        if (members.Length < 2 || members[0] != (byte)'{')
        {
            scratch.ReturnFrame();
            throw new ArgumentException($"payload of '{name}' must serialize to a JSON object", nameof(payload));
        }

        ArrayBufferWriter<byte> frame = scratch.Frame;
        WriteHead(scratch, name).Flush();

        // The payload's own members follow ours inside the same object.
        ReadOnlySpan<byte> inner = members[1..^1];
        if (!inner.IsEmpty)
        {
            frame.Write(","u8);
            frame.Write(inner);
        }

        frame.Write("}]"u8);
        return scratch.ReturnFrame();
    }

    /// <summary>Writes <c>42/nsp,["name",{"type":"name","t":"name"</c> into the scratch frame; the object is left open.</summary>
    private Utf8JsonWriter WriteHead(Scratch scratch, string name)
    {
        SocketPacketCodec.WritePrefix(scratch.Frame, SocketPacketType.Event, Namespace);
        Utf8JsonWriter writer = scratch.FrameWriter;
        writer.WriteStartArray();
        writer.WriteStringValue(name);
        writer.WriteStartObject();
        writer.WriteString("type", name);
        writer.WriteString("t", name);
        return writer;
    }

    /// <summary>
    /// Per-thread buffers and writers, so the steady state (a stats sample every interval, pongs,
    /// shell output) allocates only the frame it returns. A buffer that grew past
    /// <see cref="KeepCapacity"/> for one big frame is let go, so memory does not stay at the peak.
    /// </summary>
    private sealed class Scratch
    {
        private const int KeepCapacity = 64 * 1024;

        [ThreadStatic]
        private static Scratch? t_cached;

        private Scratch()
        {
            BodyWriter = new Utf8JsonWriter(Body, WriterOptions);
            FrameWriter = new Utf8JsonWriter(Frame, WriterOptions);
        }

        public ArrayBufferWriter<byte> Body { get; } = new(1024);

        public ArrayBufferWriter<byte> Frame { get; } = new(1024);

        public Utf8JsonWriter BodyWriter { get; }

        public Utf8JsonWriter FrameWriter { get; }

        public static Scratch Rent()
        {
            // Taken off the thread while in use: a re-entrant call on the same thread gets its own.
            Scratch scratch = t_cached ?? new Scratch();
            t_cached = null;
            scratch.Body.ResetWrittenCount();
            scratch.Frame.ResetWrittenCount();
            scratch.BodyWriter.Reset(scratch.Body);
            scratch.FrameWriter.Reset(scratch.Frame);
            return scratch;
        }

        /// <summary>Copies the frame out and gives the buffers back to this thread.</summary>
        public byte[] ReturnFrame()
        {
            byte[] result = Frame.WrittenSpan.ToArray();
            if (Body.Capacity <= KeepCapacity && Frame.Capacity <= KeepCapacity)
            {
                t_cached = this;
            }

            return result;
        }
    }
}

using System.Text;

namespace Tether.Protocol;

/// <summary>
/// engine.io v4 framing over WebSocket: one text message is one packet, the first character is
/// the packet type (docs/field-notes.md "socket.io over a raw WebSocket"). Pure, no I/O.
/// </summary>
internal static class EnginePacketCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(ReadOnlySpan<byte> utf8, out EnginePacket packet, out string error)
    {
        packet = default;
        if (utf8.IsEmpty)
        {
            error = "empty engine.io packet";
            return false;
        }

        int type = utf8[0] - (byte)'0';
        if (type is < 0 or > 6)
        {
            error = "unknown engine.io packet type";
            return false;
        }

        string data;
        try
        {
            data = StrictUtf8.GetString(utf8[1..]);
        }
        catch (DecoderFallbackException)
        {
            error = "engine.io packet is not valid UTF-8";
            return false;
        }

        packet = new EnginePacket((EnginePacketType)type, data);
        error = string.Empty;
        return true;
    }

    /// <summary>A control packet without data (ping, pong, close, noop) as UTF-8 bytes.</summary>
    public static byte[] EncodeControl(EnginePacketType type) => [(byte)('0' + (int)type)];
}

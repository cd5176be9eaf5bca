using System.Text.Json;

namespace Tether.Protocol;

/// <summary>
/// A named event from the server. <see cref="Payload"/> is the first argument
/// (<see cref="JsonValueKind.Undefined"/> when there was none); handlers validate its shape.
/// </summary>
internal sealed record InboundEvent(string Name, JsonElement Payload, long? AckId, bool ViaMessageEnvelope)
{
    /// <summary>Event names are short identifiers; anything longer is noise or an attack.</summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// Reads an EVENT packet: a named event, or a <c>message</c> event whose payload names the
    /// event in <c>type</c> or <c>t</c> (docs/protocol.md §3); both end up the same.
    /// </summary>
    public static bool TryFrom(SocketPacket packet, out InboundEvent? inbound, out string error)
    {
        inbound = null;
        if (packet.Type != SocketPacketType.Event || packet.Data is not { ValueKind: JsonValueKind.Array } args || args.GetArrayLength() == 0)
        {
            error = "not an event packet";
            return false;
        }

        string name = args[0].GetString() ?? string.Empty;
        JsonElement payload = args.GetArrayLength() > 1 ? args[1] : default;
        bool envelope = false;
        if (name == "message")
        {
            if (payload.ValueKind != JsonValueKind.Object
                || !(TryGetString(payload, "type", out string? named) || TryGetString(payload, "t", out named)))
            {
                error = "message envelope without a string type or t";
                return false;
            }

            name = named!;
            envelope = true;
        }

        if (name.Length is 0 or > MaxNameLength)
        {
            error = "event name empty or too long";
            return false;
        }

        inbound = new InboundEvent(name, payload, packet.AckId, envelope);
        error = string.Empty;
        return true;
    }

    private static bool TryGetString(JsonElement obj, string property, out string? value)
    {
        value = obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return !string.IsNullOrEmpty(value);
    }
}

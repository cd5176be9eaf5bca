using System.Text.Json;

namespace Tether.Protocol;

/// <summary>
/// One decoded socket.io v5 packet. <see cref="Data"/> is a detached copy (no pooled
/// document behind it), <c>null</c> when the packet carried no JSON.
/// </summary>
internal sealed record SocketPacket(SocketPacketType Type, string Namespace, long? AckId, JsonElement? Data);

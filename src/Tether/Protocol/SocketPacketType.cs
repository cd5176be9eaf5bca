namespace Tether.Protocol;

/// <summary>socket.io protocol v5 packet types, the digit after engine.io's <c>4</c>.</summary>
internal enum SocketPacketType
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}

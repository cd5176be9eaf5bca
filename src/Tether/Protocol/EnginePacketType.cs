namespace Tether.Protocol;

/// <summary>engine.io v4 packet types; the digit that opens every WebSocket text message.</summary>
internal enum EnginePacketType
{
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
}

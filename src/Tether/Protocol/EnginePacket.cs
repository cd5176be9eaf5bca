namespace Tether.Protocol;

/// <summary>One decoded engine.io packet: its type and the text after the type digit.</summary>
internal readonly record struct EnginePacket(EnginePacketType Type, string Data);

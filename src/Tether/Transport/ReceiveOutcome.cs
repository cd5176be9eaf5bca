namespace Tether.Transport;

/// <summary>What one <see cref="WebSocketChannel.ReceiveAsync"/> produced.</summary>
internal enum ReceiveOutcome
{
    Text,
    Binary,
    TooLarge,
    Closed,
}

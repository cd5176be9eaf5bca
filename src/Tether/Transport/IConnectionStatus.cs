namespace Tether.Transport;

/// <summary>The connection as capabilities see it: acknowledged or not, and when that changes.</summary>
internal interface IConnectionStatus
{
    /// <summary>True between a <c>hello_ack</c> and the end of that connection.</summary>
    bool IsReady { get; }

    /// <summary>Raised on the connection loop after each <c>hello_ack</c>; handlers must not block.</summary>
    event Action? Ready;

    /// <summary>Raised on the connection loop when an established connection is gone; handlers must not block.</summary>
    event Action? Lost;
}

namespace Tether.Platform.Network;

/// <summary>How the first step of a non-blocking TCP connect ended.</summary>
internal enum TcpConnectStart
{
    /// <summary>Connected at once (loopback can).</summary>
    Connected,

    /// <summary>Under way: the socket turns writable when it ends, and <c>SO_ERROR</c> says how.</summary>
    InProgress,

    /// <summary>Refused or unreachable at once.</summary>
    Failed,
}

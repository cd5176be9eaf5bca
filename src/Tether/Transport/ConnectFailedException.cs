namespace Tether.Transport;

/// <summary>
/// One connection attempt failed in a named phase (resolve, TCP, proxy, TLS, upgrade); the
/// message is written for an operator and never holds the signed query or a credential.
/// </summary>
internal sealed class ConnectFailedException : IOException
{
    public ConnectFailedException(string message)
        : base(message)
    {
    }

    public ConnectFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ConnectFailedException()
    {
    }
}

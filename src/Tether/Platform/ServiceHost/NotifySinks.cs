namespace Tether.Platform.ServiceHost;

/// <summary>Opens the channel to the service manager's notification socket.</summary>
internal static class NotifySinks
{
    /// <summary>A datagram sink for the AF_UNIX socket at <paramref name="socketPath"/> (<c>NOTIFY_SOCKET</c>).</summary>
    public static INotifySink OpenDatagram(string socketPath) => new UnixDatagramNotifySink(socketPath);
}

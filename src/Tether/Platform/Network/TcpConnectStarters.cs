namespace Tether.Platform.Network;

/// <summary>Chooses the connect starter for the OS the agent runs on.</summary>
internal static class TcpConnectStarters
{
    /// <summary>Linux and macOS: <see cref="UnixTcpConnectStarter"/>, connect(2) itself; elsewhere <see cref="PortableTcpConnectStarter"/>.</summary>
    public static ITcpConnectStarter Current { get; } = Create();

    private static ITcpConnectStarter Create()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            return new UnixTcpConnectStarter();
        }

        return new PortableTcpConnectStarter();
    }
}

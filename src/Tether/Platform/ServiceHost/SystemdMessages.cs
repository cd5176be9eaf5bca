using System.Globalization;

namespace Tether.Platform.ServiceHost;

/// <summary>
/// The sd_notify(3) messages the agent sends: newline-separated <c>KEY=value</c> lines. A
/// <c>STATUS</c> text is one line, so line breaks in it are replaced. Thread-safe: stateless.
/// </summary>
internal static class SystemdMessages
{
    public const string Watchdog = "WATCHDOG=1";

    public const string Stopping = "STOPPING=1\nSTATUS=stopping";

    /// <summary>Before the first connection is up.</summary>
    public static string Connecting(string server) => Status("connecting to " + server);

    /// <summary>At the first <c>hello_ack</c>: systemd now considers the unit started.</summary>
    public static string Ready(string server) => "READY=1\n" + Connected(server);

    /// <summary>At a later <c>hello_ack</c> (the unit is already started).</summary>
    public static string Connected(string server) => Status("connected to " + server);

    /// <summary>When the start grace ends without a <c>hello_ack</c> (see <see cref="SystemdNotifier.StartGrace"/>).</summary>
    public static string ReadyWithoutConnection(string server, TimeSpan grace) =>
        "READY=1\n" + Status(string.Create(CultureInfo.InvariantCulture, $"not connected to {server} after {grace.TotalSeconds:0} s; still trying"));

    /// <summary>When an established connection is gone.</summary>
    public static string Reconnecting(string server) => Status("reconnecting to " + server + " (connection lost)");

    private static string Status(string text) => "STATUS=" + text.ReplaceLineEndings(" ");
}

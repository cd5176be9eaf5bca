using Tether.Platform.Pty;
using Tether.Protocol;

namespace Tether.Shell;

/// <summary><c>shell_closed {session, code?, signal?, reason}</c> (docs/protocol.md §3).</summary>
internal static class ShellClosedEvent
{
    public const string EventName = "shell_closed";

    /// <summary>Reasons the dashboard knows (docs/protocol.md §3 and §7).</summary>
    public const string ShellDisabled = "shell disabled";
    public const string Busy = "busy";
    public const string PtyUnavailable = "pty unavailable";
    public const string ConnectionLost = "connection lost";
    public const string ShuttingDown = "agent shutting down";
    public const string Closed = "closed";
    public const string Exited = "exited";

    /// <summary>The durable event; <paramref name="exit"/> adds <c>code</c> or <c>signal</c> when known.</summary>
    public static OutboundEvent Create(EventFrameEncoder encoder, string session, string reason, PtyExit? exit)
    {
        var frame = encoder.Encode(EventName, writer =>
        {
            writer.WriteString("session", session);
            if (exit?.ExitCode is { } code)
            {
                writer.WriteNumber("code", code);
            }

            if (exit?.SignalName is { } signal)
            {
                writer.WriteString("signal", signal);
            }

            writer.WriteString("reason", reason);
        });
        return new OutboundEvent(EventName, frame, Durable: true);
    }
}

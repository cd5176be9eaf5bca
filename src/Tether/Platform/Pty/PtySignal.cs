namespace Tether.Platform.Pty;

/// <summary>
/// Signals the agent sends to a terminal's process group. Platform code maps them to the
/// OS numbering; shared code never uses raw signal numbers.
/// </summary>
internal enum PtySignal
{
    /// <summary>SIGHUP: the terminal went away (first step of closing a shell).</summary>
    Hangup,

    /// <summary>SIGINT.</summary>
    Interrupt,

    /// <summary>SIGTERM.</summary>
    Terminate,

    /// <summary>SIGKILL: cannot be caught (last step of closing a shell).</summary>
    Kill,
}

namespace Tether.Platform.Pty;

/// <summary>
/// This machine has no pseudo-terminal support at all (Windows before 10 1809 lacks ConPTY),
/// so no shell can ever start here: the shell capability answers
/// <c>shell_closed {reason: "pty unavailable"}</c> (docs/protocol.md §3) rather than "start failed".
/// </summary>
internal sealed class PtyUnavailableException : PtyException
{
    public PtyUnavailableException()
    {
    }

    public PtyUnavailableException(string message)
        : base(message)
    {
    }

    public PtyUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

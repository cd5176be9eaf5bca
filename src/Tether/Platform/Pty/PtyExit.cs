namespace Tether.Platform.Pty;

/// <summary>How a pseudo-terminal's program ended.</summary>
/// <param name="ExitCode">The exit code when it exited normally.</param>
/// <param name="Signal">The number of the signal that killed it (platform numbering).</param>
/// <param name="SignalName">That signal's name, e.g. <c>SIGKILL</c>.</param>
/// <remarks>
/// All three are null when the status could not be collected (another reaper took it, see
/// <c>UnixPtySession.Reaper.cs</c>).
/// </remarks>
internal sealed record PtyExit(int? ExitCode, int? Signal, string? SignalName)
{
    /// <summary>The program is gone but its status is unknown.</summary>
    internal static PtyExit Unknown { get; } = new(null, null, null);
}

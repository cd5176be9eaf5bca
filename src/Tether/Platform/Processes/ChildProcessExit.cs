namespace Tether.Platform.Processes;

/// <summary>How a child process ended: an exit code, or the signal that killed it; all null when unknown.</summary>
/// <param name="ExitCode">The exit code when it exited normally.</param>
/// <param name="SignalNumber">The platform number of the signal that killed it.</param>
/// <param name="SignalName">That signal's name, e.g. <c>SIGKILL</c>.</param>
internal sealed record ChildProcessExit(int? ExitCode, int? SignalNumber, string? SignalName)
{
    /// <summary>The status could not be collected (another reaper took it).</summary>
    internal static ChildProcessExit Unknown { get; } = new(null, null, null);
}

using Tether.Platform.Pty;
namespace Tether.Platform.Processes;

/// <summary>
/// Windows has no signals: the agent's kill is TerminateJobObject with <see cref="KillExitCode"/>.
/// This maps an exit code back to what the Unix side reports, so <c>shell_closed</c> and
/// <c>admin_result</c> read the same on both. Pure.
/// </summary>
internal static class WindowsExitStatus
{
    /// <summary>128 + 9, what a POSIX shell reports for a child killed by SIGKILL.</summary>
    internal const uint KillExitCode = 137;

    internal const string KillSignalName = "SIGKILL";

    /// <summary>
    /// A terminal program's end: killed by us (a kill was requested and the code is
    /// <see cref="KillExitCode"/>) reads like SIGKILL on Unix, without a code; otherwise the exit
    /// code as a signed 32-bit value (NTSTATUS codes such as 0xC000013A become negative).
    /// </summary>
    internal static PtyExit ToPtyExit(uint exitCode, bool killRequested) =>
        killRequested && exitCode == KillExitCode
            ? new PtyExit(null, null, KillSignalName)
            : new PtyExit(unchecked((int)exitCode), null, null);

    /// <summary>
    /// An admin command's end: as <see cref="ToPtyExit"/>, but a kill keeps its code 137, which
    /// is what the result reports for it (there is no Windows signal number to add 128 to).
    /// </summary>
    internal static ChildProcessExit ToChildExit(uint exitCode, bool killRequested) =>
        killRequested && exitCode == KillExitCode
            ? new ChildProcessExit((int)KillExitCode, null, KillSignalName)
            : new ChildProcessExit(unchecked((int)exitCode), null, null);
}

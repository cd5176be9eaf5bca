using Tether.Platform.Processes;

namespace Tether.Commands;

/// <summary>What one started command did (see <see cref="CommandRunner"/>). Immutable.</summary>
/// <param name="Exit">How the leader ended (its status; SIGKILL after a timeout).</param>
/// <param name="TimedOut">The timeout fired and the tree was killed.</param>
/// <param name="Cancelled">The agent stopped it (shutdown) and the tree was killed.</param>
internal sealed record CommandRun(
    ChildProcessExit Exit,
    bool TimedOut,
    bool Cancelled,
    OutputCapture Stdout,
    OutputCapture Stderr,
    long DurationMs);

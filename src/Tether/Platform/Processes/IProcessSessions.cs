using Tether.Platform.Pty;
namespace Tether.Platform.Processes;

/// <summary>
/// Reaches every process of a terminal session, also the jobs an interactive shell moved to
/// process groups of their own (which <see cref="IPtySession.SignalGroup"/> misses).
/// </summary>
/// <remarks>Thread-safe; holds no state.</remarks>
internal interface IProcessSessions
{
    /// <summary>
    /// Sends <paramref name="signal"/> to every live process whose session id is
    /// <paramref name="sessionId"/> (a terminal's session leader pid).
    /// </summary>
    /// <remarks>
    /// Linux keeps a pid number out of reuse while any process still has it as session id, so
    /// the processes found belong to the original session. Only after all of them are gone
    /// could an unrelated process get that pid and start a session of the same id; callers
    /// signal right after the leader exits to keep that window small.
    /// </remarks>
    /// <returns>How many processes were signalled (0 when the session is empty).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sessionId"/> is &lt;= 1.</exception>
    int Signal(int sessionId, PtySignal signal);

    /// <summary>How many live processes have session id <paramref name="sessionId"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sessionId"/> is &lt;= 1.</exception>
    int Count(int sessionId);
}

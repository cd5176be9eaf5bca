namespace Tether.Platform.Pty;

/// <summary>
/// A program running in a pseudo-terminal: its output, its input, its window size, its
/// process group and its exit.
/// </summary>
/// <remarks>
/// <para>Thread-safety: one <see cref="ReadAsync"/> at a time (a second concurrent call throws
/// <see cref="InvalidOperationException"/>); <see cref="WriteAsync"/> calls are serialized
/// internally; <see cref="Resize"/>, <see cref="SignalGroup"/> and <see cref="Dispose"/> may be
/// called from any thread at any time, also while a read or write is pending.</para>
/// <para>Close semantics: <see cref="Dispose"/> closes the terminal master. The kernel then hangs
/// up the terminal, which sends SIGHUP to the session; most shells exit on it, but a program
/// that ignores SIGHUP keeps running. To be sure a session ends, call
/// <see cref="SignalGroup"/> with <see cref="PtySignal.Hangup"/>, then
/// <see cref="PtySignal.Kill"/> after a grace period, then dispose. The process is reaped
/// whenever it exits, also after <see cref="Dispose"/>, so no zombie stays behind and
/// <see cref="Exited"/> still completes.</para>
/// </remarks>
internal interface IPtySession : IDisposable
{
    /// <summary>Process id of the started program, also its session and process group id.</summary>
    int Pid { get; }

    /// <summary>
    /// Completes once the program has exited and been reaped. Never faults; never completes
    /// before the process is gone. <see cref="PtyExit.Unknown"/> when another reaper took the
    /// status (the agent runs as pid 1, or SIGCHLD was ignored when it started).
    /// </summary>
    Task<PtyExit> Exited { get; }

    /// <summary>
    /// Reads terminal output into <paramref name="buffer"/>.
    /// </summary>
    /// <returns>
    /// The number of bytes read; 0 means end of output (every holder of the terminal's slave
    /// side has closed it, or the session was disposed). Output is buffered up to a fixed
    /// limit; while nobody reads, the program blocks on its writes. An empty
    /// <paramref name="buffer"/> returns 0 at once, as with <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>.
    /// Output still buffered when the session is disposed may be returned before 0.
    /// </returns>
    /// <exception cref="OperationCanceledException">The token was cancelled; no data is lost.</exception>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// Reads like <see cref="ReadAsync"/>, but gathers: a read that has to wait is woken once
    /// <paramref name="minimumBytes"/> (at most the buffer's length) are buffered, or the output
    /// ended, or the session was disposed, or some bytes are buffered and
    /// <paramref name="window"/> has passed since the call. A stream of small terminal reads then
    /// costs the caller one wake-up instead of one each; a byte arriving after the window is
    /// returned at once. The default returns as soon as anything is buffered (a zero window).
    /// </summary>
    /// <returns>As <see cref="ReadAsync"/>.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled; no data is lost.</exception>
    ValueTask<int> ReadGatheredAsync(Memory<byte> buffer, int minimumBytes, TimeSpan window, CancellationToken cancellationToken) =>
        ReadAsync(buffer, cancellationToken);

    /// <summary>Writes all of <paramref name="data"/> as terminal input (keystrokes).</summary>
    /// <exception cref="PtyException">The terminal is closed or hung up.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    /// <exception cref="OperationCanceledException">
    /// The token was cancelled; a prefix of <paramref name="data"/> may have been written.
    /// </exception>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the terminal's window size; the foreground process group gets SIGWINCH.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside 1–<see cref="PtyStartOptions.MaxDimension"/>.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    void Resize(int columns, int rows);

    /// <summary>
    /// Sends <paramref name="signal"/> to the program's whole process group (the shell and
    /// the jobs it started in that group).
    /// </summary>
    /// <remarks>
    /// Also allowed after <see cref="Dispose"/>. Once the program has been reaped this does
    /// nothing and returns false, so a recycled process group id is never signalled; jobs
    /// that a job-control shell moved to process groups of their own are not reached (bash
    /// passes SIGHUP on to them itself).
    /// </remarks>
    /// <returns>True if delivered; false if the group is already gone.</returns>
    bool SignalGroup(PtySignal signal);
}

namespace Tether.Platform.Pty;

/// <summary>
/// Starts programs in new pseudo-terminals. One implementation per OS, chosen by
/// <see cref="PtyFactory"/>.
/// </summary>
/// <remarks>Thread-safe: <see cref="Start"/> may be called concurrently.</remarks>
internal interface IPty
{
    /// <summary>
    /// Starts <see cref="PtyStartOptions.File"/> as the leader of a new session whose
    /// controlling terminal is a new pseudo-terminal (stdin, stdout and stderr all on it).
    /// </summary>
    /// <returns>The running session; the caller owns it and must dispose it.</returns>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="PtyStartOptions.Validate"/>).</exception>
    /// <exception cref="PtyException">
    /// The terminal could not be created or the program not started (missing file, missing
    /// working directory, exec failure). Nothing is leaked and no process is left behind.
    /// </exception>
    IPtySession Start(PtyStartOptions options);
}

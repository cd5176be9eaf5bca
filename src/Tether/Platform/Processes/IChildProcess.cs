namespace Tether.Platform.Processes;

/// <summary>
/// A running child and the group (tree) it leads.
/// </summary>
/// <remarks>
/// Contract: <see cref="Exited"/> completes when the leader has ended; the leader is kept
/// unreaped (a zombie) until <see cref="Reap"/>, so its pid and group id cannot be reused and
/// <see cref="KillTree"/> stays safe in between. <see cref="Dispose"/> kills the tree if it was
/// not reaped, reaps it once it ends, and closes the pipes. Members may be called from any
/// thread; each stream has one reader (or writer).
/// </remarks>
internal interface IChildProcess : IDisposable
{
    int Pid { get; }

    /// <summary>The read end of the child's stdout.</summary>
    Stream StandardOutput { get; }

    /// <summary>The read end of the child's stderr.</summary>
    Stream StandardError { get; }

    /// <summary>The write end of the child's stdin; null unless requested. Dispose it to send EOF.</summary>
    Stream? StandardInput { get; }

    /// <summary>Completes when the leader has ended (not yet reaped).</summary>
    Task Exited { get; }

    /// <summary>SIGKILL to the whole group (job object on Windows); false when it is already reaped or gone.</summary>
    bool KillTree();

    /// <summary>Collects the leader's status once <see cref="Exited"/> has completed; later calls return the same.</summary>
    ChildProcessExit Reap();
}

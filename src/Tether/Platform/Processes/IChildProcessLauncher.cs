namespace Tether.Platform.Processes;

/// <summary>
/// Starts programs in their own process group (Unix) or job object (Windows) with
/// stdout and stderr on pipes, so a timeout can kill the whole tree. Chosen by
/// <see cref="ChildProcessLauncherFactory"/>. Thread-safe.
/// </summary>
internal interface IChildProcessLauncher
{
    /// <summary>Starts the program; the caller owns the result and must dispose it.</summary>
    /// <exception cref="ChildProcessException">Not started; nothing is left behind.</exception>
    IChildProcess Start(ChildProcessStartOptions options);
}

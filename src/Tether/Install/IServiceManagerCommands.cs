namespace Tether.Install;

/// <summary>
/// Runs the service manager's tools (<c>systemctl</c>, <c>launchctl</c>) and the installed
/// binary's <c>--version</c> for <see cref="ServiceInstaller"/>: the seam that lets tests record
/// the commands an install issues instead of running them.
/// </summary>
internal interface IServiceManagerCommands
{
    /// <summary>Runs the command (its program a name looked up in PATH, or a path) to its end: its exit code and output (stdout then stderr).</summary>
    Task<ServiceCommandResult> RunAsync(ServiceCommandLine command, CancellationToken ct);
}

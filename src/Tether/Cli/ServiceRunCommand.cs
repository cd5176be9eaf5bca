using Tether.Platform.ServiceHost;

namespace Tether.Cli;

/// <summary>
/// <c>tether run --service</c>: the agent as a Windows service. The flag is explicit (the
/// service's binPath passes it) instead of guessing from the parent process, so a console run
/// never waits on a Service Control Manager that is not there.
/// </summary>
internal static class ServiceRunCommand
{
    /// <summary>The service's working directory under %ProgramData%, where a relative config path resolves.</summary>
    public const string DataFolderName = "Tether";

    public static async Task<int> ExecuteAsync(string? configPath, bool? insecure, string? logLevel, TextWriter error)
    {
        if (!OperatingSystem.IsWindows())
        {
            await error.WriteLineAsync("tether: --service is only for the Windows Service Control Manager; on this OS run `tether run` under the service manager (systemd, launchd) instead");
            return 2;
        }

        UseDataDirectory();
        return await ServiceControlManager.RunAsync(stop => RunCommand.ExecuteAsync(configPath, insecure, logLevel, stop), error);
    }

    /// <summary>Where a service's relative paths resolve: %ProgramData%\Tether.</summary>
    public static string DataDirectory(string programData) => Path.Join(programData, DataFolderName);

    // The SCM starts services in %WINDIR%\System32, where a relative --config (or the default
    // ./agent-config.json) would look. %ProgramData%\Tether is where packaging/windows/README.md
    // puts the config; it is used only when it exists (creating it here would give it
    // ProgramData's inherited ACL, not the one the installer chose).
    private static void UseDataDirectory()
    {
        string directory = DataDirectory(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData));
        if (Directory.Exists(directory))
        {
            Environment.CurrentDirectory = directory;
        }
    }
}

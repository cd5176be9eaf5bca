using System.Runtime.Versioning;
using Tether.Install;
using Tether.Platform.FileSystem;
using Tether.Platform.ServiceHost;

namespace Tether.Cli;

/// <summary>
/// <c>tether service install [--config PATH] [--user NAME] [--monitor-only] | uninstall | status</c>
/// (docs/protocol.md §8): systemd on Linux, launchd on macOS, the Service Control Manager
/// (sc.exe) on Windows. Install and uninstall need root (on Windows: an elevated prompt).
/// <c>TETHER_INSTALL_ROOT</c>, read by this command only, makes a folder stand for <c>/</c>
/// (the integration tests install there with a fake <c>systemctl</c> on PATH); it also lifts
/// the root requirement, since nothing outside that folder is written.
/// </summary>
internal static class ServiceCommand
{
    public const string InstallRootVariable = "TETHER_INSTALL_ROOT";

    public enum Action
    {
        Install,
        Uninstall,
        Status,
    }

    public static async Task<int> ExecuteAsync(Action action, ServiceInstallOptions? install, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows())
        {
            return await ExecuteWindowsAsync(action, install, output, error, ct);
        }

        string root = Environment.GetEnvironmentVariable(InstallRootVariable) ?? "";
        if (root.Length > 0)
        {
            if (!Path.IsPathFullyQualified(root) || !Directory.Exists(root))
            {
                await error.WriteLineAsync($"tether service: {InstallRootVariable} must name an existing absolute folder (got {root})");
                return ServiceInstaller.UsageError;
            }

            root = Path.TrimEndingDirectorySeparator(root);
            await error.WriteLineAsync($"tether service: {InstallRootVariable}={root}: installing under it instead of /");
        }

        IServiceLayout layout = OperatingSystem.IsMacOS() ? new LaunchdServiceLayout(root) : new SystemdServiceLayout(root);

        if (action != Action.Status && root.Length == 0 && FileSystems.Current.EffectiveIds.Uid != 0)
        {
            await error.WriteLineAsync($"tether service {action.ToString().ToLowerInvariant()}: must run as root (sudo)");
            return ServiceInstaller.Refused;
        }

        var installer = new ServiceInstaller(layout, new ProcessServiceManagerCommands(), output, error);
        try
        {
            return action switch
            {
                Action.Install => await installer.InstallAsync(install ?? throw new ArgumentNullException(nameof(install)), ct),
                Action.Uninstall => await installer.UninstallAsync(ct),
                _ => await installer.StatusAsync(ct),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"tether service {action.ToString().ToLowerInvariant()}: failed: {e.Message}");
            return ServiceInstaller.Refused;
        }
    }

    [SupportedOSPlatform("windows")]
    private static async Task<int> ExecuteWindowsAsync(Action action, ServiceInstallOptions? install, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (action != Action.Status && !Environment.IsPrivilegedProcess)
        {
            await error.WriteLineAsync($"tether service {action.ToString().ToLowerInvariant()}: must run from an elevated prompt (Run as administrator)");
            return ServiceExitCodes.Refused;
        }

        var installer = new WindowsServiceInstaller(WindowsServiceLayout.ForThisMachine(), InstalledServices.ForThisMachine(), new ProcessServiceManagerCommands(), output, error, TimeSpan.FromSeconds(30));
        try
        {
            return action switch
            {
                Action.Install => await installer.InstallAsync(install ?? throw new ArgumentNullException(nameof(install)), ct),
                Action.Uninstall => await installer.UninstallAsync(ct),
                _ => await installer.StatusAsync(ct),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            await error.WriteLineAsync($"tether service {action.ToString().ToLowerInvariant()}: failed: {e.Message}");
            return ServiceExitCodes.Refused;
        }
    }

    /// <summary>The running published binary; null under <c>dotnet tether.dll</c>, which cannot be installed as a service.</summary>
    public static string? CurrentBinary()
    {
        string? path = Environment.ProcessPath;
        return path is not null && !Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? path : null;
    }
}

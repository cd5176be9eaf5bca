using System.Globalization;
using Tether.Config;
using Tether.Platform.ServiceHost;

namespace Tether.Install;

/// <summary>
/// <c>tether service install | uninstall | status</c> on Windows (docs/protocol.md §8): the
/// service <c>Tether</c> made and changed with <c>sc.exe</c> (<see cref="WindowsServiceLayout"/>),
/// its current configuration read from the registry (<see cref="IInstalledServices"/>) so that a
/// second identical install issues no change. Exit codes (<see cref="ServiceExitCodes"/>):
/// install and uninstall 0 done (or nothing to do), 1 refused or a command failed, 2 usage or
/// configuration error; status 0 running, 3 installed but not running, 4 not installed.
/// </summary>
internal sealed class WindowsServiceInstaller
{
    private const string Running = "RUNNING";
    private const string Stopped = "STOPPED";

    private readonly WindowsServiceLayout _layout;
    private readonly IInstalledServices _services;
    private readonly IServiceManagerCommands _commands;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly ServiceConsole _console;
    private readonly TimeSpan _stopWait;

    /// <param name="stopWait">How long a stop may take before the install or uninstall goes on without it (the agent stops within 5 s).</param>
    public WindowsServiceInstaller(WindowsServiceLayout layout, IInstalledServices services, IServiceManagerCommands commands, TextWriter output, TextWriter error, TimeSpan stopWait)
    {
        _layout = layout;
        _services = services;
        _commands = commands;
        _output = output;
        _error = error;
        _console = new ServiceConsole(commands, output, error);
        _stopWait = stopWait;
    }

    public async Task<int> InstallAsync(ServiceInstallOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.User is not null)
        {
            return await _console.FailAsync(ServiceExitCodes.UsageError, "--user is not supported on Windows: the service runs as LocalSystem (change it with sc.exe config Tether obj= ...)");
        }

        if (options.MonitorOnly)
        {
            return await _console.FailAsync(ServiceExitCodes.UsageError, "--monitor-only is not supported on Windows yet: set admin.enableShell false, admin.allowedCommands [], backup.allowedSourceRoots [], backup.allowedDestRoots [] and keys.enabled false in the config");
        }

        string defaultConfig = _layout.DefaultConfigPath;
        string config = options.ConfigPath is null ? defaultConfig : Path.GetFullPath(options.ConfigPath);
        string configFolder = Path.GetDirectoryName(defaultConfig)!;
        if (config == defaultConfig && !Directory.Exists(configFolder))
        {
            Directory.CreateDirectory(configFolder);
            if (!await _console.RunAsync(_layout.RestrictFolder(configFolder), ct))
            {
                return ServiceExitCodes.Refused;
            }

            await _output.WriteLineAsync($"created {configFolder} (SYSTEM and Administrators only)");
        }

        if (!await CheckConfigAsync(config))
        {
            return ServiceExitCodes.UsageError;
        }

        if (!File.Exists(options.SourceBinary))
        {
            return await _console.FailAsync(ServiceExitCodes.UsageError, $"the running binary {options.SourceBinary} cannot be read; run the published tether.exe");
        }

        // Checks done; changes from here on.
        var installed = _services.Find(WindowsServiceLayout.ServiceName);
        string? state = installed is null ? null : await QueryStateAsync(ct);
        bool copied = false;
        if (!SamePath(options.SourceBinary, _layout.BinaryPath) && !FileBytes.Same(options.SourceBinary, _layout.BinaryPath))
        {
            // A running .exe cannot be overwritten: the service lets go of it first.
            if (state is not null and not Stopped)
            {
                if (!await StopAsync(ct))
                {
                    return ServiceExitCodes.Refused;
                }

                state = Stopped;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(_layout.BinaryPath)!);
            CopyAtomically(options.SourceBinary, _layout.BinaryPath);
            await _output.WriteLineAsync($"copied {options.SourceBinary} to {_layout.BinaryPath}");
            copied = true;
        }

        string binPath = WindowsServiceLayout.BinPath(_layout.BinaryPath, config);
        bool definitionChanged = false;
        if (installed is null)
        {
            if (!await _console.RunAsync(_layout.Create(binPath), ct) || !await _console.RunAsync(_layout.Description(), ct))
            {
                return ServiceExitCodes.Refused;
            }

            state = Stopped;
            definitionChanged = true;
        }
        else if (installed.ImagePath != binPath || installed.StartType != WindowsServiceLayout.AutoStart)
        {
            await _output.WriteLineAsync($"the service runs {installed.ImagePath} (start type {installed.StartType.ToString(CultureInfo.InvariantCulture)}): changing it");
            if (!await _console.RunAsync(_layout.Config(binPath), ct))
            {
                return ServiceExitCodes.Refused;
            }

            definitionChanged = true;
        }

        bool actionsChanged = false;
        if (installed is null || installed.ResetPeriodSeconds != WindowsServiceLayout.ResetPeriodSeconds || !installed.FailureActions.SequenceEqual(WindowsServiceLayout.FailureActions))
        {
            if (!await _console.RunAsync(_layout.Failure(), ct))
            {
                return ServiceExitCodes.Refused;
            }

            actionsChanged = true;
        }

        if (installed is null || !installed.FailureActionsOnNonCrashFailures)
        {
            // Not fatal: the service runs and restarts after a crash; only a self-update's exit 75 would leave it stopped.
            var flag = _layout.FailureFlag();
            if (!await _console.RunAsync(flag, ct))
            {
                await _error.WriteLineAsync($"tether service: warning: the service will not restart after a self-update stops it with exit code 75 until this succeeds: {flag}");
            }

            actionsChanged = true;
        }

        if (!copied && !definitionChanged)
        {
            if (state == Running)
            {
                await _output.WriteLineAsync(actionsChanged
                    ? $"set the failure actions; the service runs {binPath}"
                    : $"already installed, nothing changed (service {WindowsServiceLayout.ServiceName}: {binPath})");
                return ServiceExitCodes.Ok;
            }

            await _output.WriteLineAsync($"already installed, but not running ({state ?? "unknown state"}): starting it");
        }
        else if (state is not null and not Stopped && !await StopAsync(ct))
        {
            // A changed command line takes effect at the next start.
            return ServiceExitCodes.Refused;
        }

        if (!await StartAsync(ct))
        {
            return ServiceExitCodes.Refused;
        }

        await _output.WriteLineAsync($"installed: the Service Control Manager runs {binPath} as LocalSystem (start type auto, restarted on failure)");
        return ServiceExitCodes.Ok;
    }

    public async Task<int> UninstallAsync(CancellationToken ct)
    {
        if (_services.Find(WindowsServiceLayout.ServiceName) is null)
        {
            await _output.WriteLineAsync($"not installed (no service {WindowsServiceLayout.ServiceName}), nothing to do");
            return ServiceExitCodes.Ok;
        }

        int code = ServiceExitCodes.Ok;
        if (await QueryStateAsync(ct) is not Stopped && !await StopAsync(ct))
        {
            code = ServiceExitCodes.Refused; // delete anyway: the SCM removes it once it has stopped, and it cannot come back at boot
        }

        if (!await _console.RunAsync(_layout.Delete(), ct))
        {
            return ServiceExitCodes.Refused;
        }

        await _output.WriteLineAsync($"removed the service {WindowsServiceLayout.ServiceName}");
        await _output.WriteLineAsync($"left in place: {_layout.BinaryPath}, the config, the logs and the state (remove them by hand if they should go)");
        return code;
    }

    public async Task<int> StatusAsync(CancellationToken ct)
    {
        var installed = _services.Find(WindowsServiceLayout.ServiceName);
        await _output.WriteLineAsync($"Windows service {WindowsServiceLayout.ServiceName}: {(installed is null ? "not installed" : "installed, " + installed.ImagePath)}");
        string version = "missing";
        if (File.Exists(_layout.BinaryPath))
        {
            var run = await _commands.RunAsync(new ServiceCommandLine(_layout.BinaryPath, ["--version"]), ct);
            version = run.Succeeded ? "version " + run.Output.Trim() : $"does not run (exit {run.ExitCode.ToString(CultureInfo.InvariantCulture)})";
        }

        await _output.WriteLineAsync($"binary: {_layout.BinaryPath} {version}");
        if (installed is null)
        {
            return ServiceExitCodes.NotInstalled;
        }

        string? state = await QueryStateAsync(ct);
        await _output.WriteLineAsync("state: " + (state ?? "unknown"));
        return state == Running ? ServiceExitCodes.Ok : ServiceExitCodes.InstalledNotActive;
    }

    /// <summary>Same file by name: Windows paths ignore case.</summary>
    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Through a flushed temporary file and a rename: a crash leaves the old binary or the new one.</summary>
    private static void CopyAtomically(string source, string destination)
    {
        string temp = destination + ".tether-install.tmp";
        File.Delete(temp);
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }

        File.Move(temp, destination, overwrite: true);
    }

    private async Task<string?> QueryStateAsync(CancellationToken ct)
    {
        var result = await _commands.RunAsync(_layout.Query(), ct);
        return result.Succeeded ? WindowsServiceLayout.ParseState(result.Output) : null;
    }

    private async Task<bool> StartAsync(CancellationToken ct)
    {
        var command = _layout.Start();
        await _output.WriteLineAsync("$ " + command);
        var result = await _commands.RunAsync(command, ct);
        if (result.Succeeded || result.ExitCode == WindowsServiceLayout.ServiceAlreadyRunning)
        {
            return true;
        }

        await _error.WriteLineAsync($"tether service: {command} failed (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {result.Output.Trim()}; the agent's log (agent.log beside the config) says why");
        return false;
    }

    /// <summary><c>sc stop</c>, then waits until the SCM reports STOPPED (sc stop only asks).</summary>
    private async Task<bool> StopAsync(CancellationToken ct)
    {
        var command = _layout.Stop();
        await _output.WriteLineAsync("$ " + command);
        var result = await _commands.RunAsync(command, ct);
        if (!result.Succeeded && result.ExitCode != WindowsServiceLayout.ServiceNotActive)
        {
            await _error.WriteLineAsync($"tether service: {command} failed (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {result.Output.Trim()}");
            return false;
        }

        var until = DateTime.UtcNow + _stopWait;
        string? state;
        while ((state = await QueryStateAsync(ct)) is not Stopped)
        {
            if (DateTime.UtcNow > until)
            {
                await _error.WriteLineAsync($"tether service: the service did not stop within {_stopWait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (state {state ?? "unknown"})");
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }

        return true;
    }

    /// <summary>The config the service will read: present and valid on its own (no environment). Its folder's ACL is the administrator's (packaging/windows/README.md).</summary>
    private async Task<bool> CheckConfigAsync(string path)
    {
        if (!File.Exists(path))
        {
            await _console.FailAsync(ServiceExitCodes.UsageError, $"no config at {path}: write clientId, serverUrl and authToken there and install again (or pass --config PATH)");
            return false;
        }

        return await _console.LoadServiceConfigAsync(path) is not null;
    }
}

using System.Runtime.Versioning;
using System.Globalization;
using System.Text;
using Tether.Config;

namespace Tether.Install;

/// <summary>
/// <c>tether service install | uninstall | status</c> (docs/protocol.md §8) for one service manager
/// (<see cref="IServiceLayout"/>). Every check comes before the first write; files are written
/// atomically; a second identical install writes nothing and issues no command. Exit codes:
/// install and uninstall 0 done (or nothing to do), 1 refused or a command failed, 2 usage or
/// configuration error; status 0 active, 3 installed but not active, 4 not installed. An
/// install that finds everything in place only asks whether the service is active, and starts
/// it when it is not.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class ServiceInstaller
{
    public const int Ok = ServiceExitCodes.Ok;
    public const int Refused = ServiceExitCodes.Refused;
    public const int UsageError = ServiceExitCodes.UsageError;
    public const int InstalledNotActive = ServiceExitCodes.InstalledNotActive;
    public const int NotInstalled = ServiceExitCodes.NotInstalled;

    private readonly IServiceLayout _layout;
    private readonly IServiceManagerCommands _commands;
    private readonly TextWriter _output;
    private readonly ServiceConsole _console;

    public ServiceInstaller(IServiceLayout layout, IServiceManagerCommands commands, TextWriter output, TextWriter error)
    {
        _layout = layout;
        _commands = commands;
        _output = output;
        _console = new ServiceConsole(commands, output, error);
    }

    public async Task<int> InstallAsync(ServiceInstallOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.User is { } user && !IsUserName(user))
        {
            return await _console.FailAsync(UsageError, $"--user {user} is not a user name ([a-z_][a-z0-9_-]*, at most 32 characters)");
        }

        (uint Uid, uint Gid)? account = null;
        if (options.User is { } name && name != "root" && _layout.PasswdPath is { } passwd)
        {
            if (!File.Exists(passwd) || !PasswdFile.TryFind(await File.ReadAllTextAsync(passwd, ct), name, out uint uid, out uint gid))
            {
                return await _console.FailAsync(UsageError, $"--user {name}: no such user in {passwd}; create it first (useradd --system {name})");
            }

            account = (uid, gid);
        }

        string defaultConfig = _layout.DefaultConfigPath;
        string source = options.ConfigPath is null ? defaultConfig : Path.GetFullPath(options.ConfigPath);
        if (source == defaultConfig && InstallFiles.EnsureFolder(Path.GetDirectoryName(defaultConfig)!, InstallFiles.Mode0700))
        {
            await _output.WriteLineAsync($"created {Path.GetDirectoryName(defaultConfig)} (0700)");
        }

        var (config, code) = await CheckConfigAsync(source);
        if (config is null)
        {
            return code;
        }

        // --monitor-only never overwrites a config: the service reads the source when it is
        // monitor-only already, else a monitor-only copy written to the default path, which
        // must not exist yet (or be monitor-only already, from an earlier install).
        string serviceConfig = source;
        byte[]? derivedConfig = null;
        if (options.MonitorOnly && !MonitorOnlyConfig.Holds(config))
        {
            if (source == defaultConfig)
            {
                return await _console.FailAsync(Refused, $"{source} has the terminal, admin commands, backups or key sync on, and --monitor-only never rewrites an existing config. Either set admin.enableShell false, admin.allowedCommands [], backup.allowedSourceRoots [], backup.allowedDestRoots [] and keys.enabled false in it, or pass --config with another file to derive {defaultConfig} from");
            }

            serviceConfig = defaultConfig;
            if (File.Exists(defaultConfig))
            {
                var (existing, existingCode) = await CheckConfigAsync(defaultConfig);
                if (existing is null)
                {
                    return existingCode;
                }

                if (!MonitorOnlyConfig.Holds(existing))
                {
                    return await _console.FailAsync(Refused, $"{defaultConfig} exists and is not monitor-only; --monitor-only never overwrites a config. Remove it or make it monitor-only (admin.enableShell false, admin.allowedCommands [], backup.allowedSourceRoots [] and allowedDestRoots [], keys.enabled false)");
                }
            }
            else
            {
                derivedConfig = MonitorOnlyConfig.Derive(await File.ReadAllBytesAsync(source, ct));
            }
        }

        // Whoever may rewrite the config may point the service (root's shells) at their own server.
        if (derivedConfig is null && options.User is null or "root" && InstallFiles.OwnerIfAnotherUser(serviceConfig) is { } owner)
        {
            return await _console.FailAsync(Refused, $"{serviceConfig} belongs to uid {owner.ToString(CultureInfo.InvariantCulture)}, who could point the service (which runs as root) at another server; run: chown root {serviceConfig}");
        }

        // The service must be able to read its config: exit 2 at every start otherwise.
        if (account is { } reader && InstallFiles.UnreadableBy(serviceConfig, reader.Uid, reader.Gid) is { } blocked)
        {
            return await _console.FailAsync(Refused, $"the service runs as {options.User} (uid {reader.Uid.ToString(CultureInfo.InvariantCulture)}), who {blocked}");
        }

        string configFolder = Path.GetDirectoryName(serviceConfig)!;
        if (Directory.Exists(configFolder) && InstallFiles.WritableByOthers(configFolder) is { } configFolderMode)
        {
            return await _console.FailAsync(Refused, $"{configFolder} is writable by group or others (mode {InstallFiles.Octal(configFolderMode)}): they could replace the config the service reads. Run chmod go-w {configFolder} or keep the config elsewhere");
        }

        string binaryFolder = Path.GetDirectoryName(_layout.BinaryPath)!;
        if (Directory.Exists(binaryFolder) && InstallFiles.WritableByOthers(binaryFolder) is { } folderMode)
        {
            return await _console.FailAsync(Refused, $"{binaryFolder} is writable by group or others (mode {InstallFiles.Octal(folderMode)}): they could replace the binary the service runs as root. Run chmod go-w {binaryFolder} first");
        }

        if (!File.Exists(options.SourceBinary))
        {
            return await _console.FailAsync(UsageError, $"the running binary {options.SourceBinary} cannot be read; run the published tether binary");
        }

        // Writes from here on.
        var changes = new List<string>();
        if (derivedConfig is not null)
        {
            string folder = Path.GetDirectoryName(defaultConfig)!;
            bool created = InstallFiles.EnsureFolder(folder, InstallFiles.Mode0700);
            InstallFiles.WriteAtomically(defaultConfig, derivedConfig, InstallFiles.Mode0600);
            changes.Add($"wrote {defaultConfig} (0600): monitor-only copy of {source}");
            if (account is { } serviceUser)
            {
                InstallFiles.SetOwner(defaultConfig, serviceUser.Uid, serviceUser.Gid);
                if (created)
                {
                    InstallFiles.SetOwner(folder, serviceUser.Uid, serviceUser.Gid);
                }

                changes.Add($"gave {defaultConfig}{(created ? " and its folder" : "")} to {options.User}");
            }
        }

        InstallFiles.EnsureFolder(binaryFolder, InstallFiles.Mode0755);
        if (!InstallFiles.SameFile(options.SourceBinary, _layout.BinaryPath))
        {
            if (!InstallFiles.SameBytes(options.SourceBinary, _layout.BinaryPath) || InstallFiles.OwnedByAnotherUser(_layout.BinaryPath))
            {
                InstallFiles.CopyAtomically(options.SourceBinary, _layout.BinaryPath, InstallFiles.Mode0755);
                changes.Add($"copied {options.SourceBinary} to {_layout.BinaryPath} (0755)");
            }
        }

        if ((File.GetUnixFileMode(_layout.BinaryPath) & (UnixFileMode)0xFFF) != InstallFiles.Mode0755)
        {
            File.SetUnixFileMode(_layout.BinaryPath, InstallFiles.Mode0755);
            changes.Add($"set {_layout.BinaryPath} to 0755");
        }

        foreach (var (folder, mode) in _layout.ExtraFolders)
        {
            if (InstallFiles.EnsureFolder(folder, mode))
            {
                changes.Add($"created {folder} ({InstallFiles.Octal(mode)})");
            }
        }

        bool firstInstall = !File.Exists(_layout.DefinitionPath);
        string text = _layout.Render(_layout.BinaryPath, serviceConfig, options.User);
        bool definitionChanged = firstInstall || await File.ReadAllTextAsync(_layout.DefinitionPath, ct) != text;
        if (definitionChanged)
        {
            InstallFiles.EnsureFolder(Path.GetDirectoryName(_layout.DefinitionPath)!, InstallFiles.Mode0755);
            InstallFiles.WriteAtomically(_layout.DefinitionPath, Encoding.UTF8.GetBytes(text), InstallFiles.Mode0644);
            changes.Add($"{(firstInstall ? "wrote" : "rewrote")} {_layout.DefinitionPath}");
        }

        foreach (string change in changes)
        {
            await _output.WriteLineAsync(change);
        }

        if (changes.Count == 0)
        {
            // Nothing to write; but an earlier install whose start failed (or a stopped service)
            // must not stay down because its files are in place: a query changes nothing.
            if ((await _commands.RunAsync(_layout.ActiveQuery(), ct)).Succeeded)
            {
                await _output.WriteLineAsync($"already installed, nothing changed ({_layout.DefinitionPath}, {_layout.BinaryPath}, --config {serviceConfig})");
                return Ok;
            }

            await _output.WriteLineAsync("already installed, but not active: starting it");
            firstInstall = true;
        }

        foreach (var command in _layout.StartCommands(firstInstall, definitionChanged))
        {
            if (!await _console.RunAsync(command, ct))
            {
                return Refused;
            }
        }

        await _output.WriteLineAsync($"installed: {_layout.ManagerName} runs {_layout.BinaryPath} run --config {serviceConfig}{(options.User is null ? " as root" : " as " + options.User)}");
        if (options.User is { } runAs && runAs != "root")
        {
            await _output.WriteLineAsync($"note: shells, admin commands, key sync and backups run as {runAs} and can do only what {runAs} may; {serviceConfig} must be readable by {runAs}");
        }

        return Ok;
    }

    public async Task<int> UninstallAsync(CancellationToken ct)
    {
        if (!File.Exists(_layout.DefinitionPath))
        {
            await _output.WriteLineAsync($"not installed ({_layout.DefinitionPath} does not exist), nothing to do");
            return Ok;
        }

        int code = Ok;
        foreach (var command in _layout.StopCommands())
        {
            if (!await _console.RunAsync(command, ct))
            {
                code = Refused; // remove the definition anyway, so the service cannot come back at boot
            }
        }

        File.Delete(_layout.DefinitionPath);
        await _output.WriteLineAsync("removed " + _layout.DefinitionPath);
        foreach (var command in _layout.AfterRemoveCommands())
        {
            if (!await _console.RunAsync(command, ct))
            {
                code = Refused;
            }
        }

        await _output.WriteLineAsync($"left in place: {_layout.BinaryPath}, the config and the state (remove them by hand if they should go)");
        return code;
    }

    public async Task<int> StatusAsync(CancellationToken ct)
    {
        bool installed = File.Exists(_layout.DefinitionPath);
        await _output.WriteLineAsync($"{_layout.ManagerName}: {_layout.DefinitionPath} {(installed ? "installed" : "not installed")}");
        string version = "missing";
        if (File.Exists(_layout.BinaryPath))
        {
            var run = await _commands.RunAsync(new ServiceCommandLine(_layout.BinaryPath, ["--version"]), ct);
            version = run.Succeeded ? "version " + run.Output.Trim() : $"does not run (exit {run.ExitCode.ToString(CultureInfo.InvariantCulture)})";
        }

        await _output.WriteLineAsync($"binary: {_layout.BinaryPath} {version}");
        if (!installed)
        {
            return NotInstalled;
        }

        var query = _layout.ActiveQuery();
        var result = await _commands.RunAsync(query, ct);
        string answer = result.Output.Trim().Split('\n')[0].Trim();
        await _output.WriteLineAsync($"{query}: {(answer.Length > 0 ? answer : "exit " + result.ExitCode.ToString(CultureInfo.InvariantCulture))}");
        return result.Succeeded ? Ok : InstalledNotActive;
    }

    /// <summary>Login names as useradd takes them by default.</summary>
    internal static bool IsUserName(string name) =>
        name.Length is > 0 and <= 32
        && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
        && name.All(static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');

    /// <summary>The config the service will read: present, private (no group or other access: it holds authToken) and valid on its own (no environment).</summary>
    private async Task<(AgentConfig? Config, int Code)> CheckConfigAsync(string path)
    {
        if (!File.Exists(path))
        {
            return (null, await _console.FailAsync(UsageError, $"no config at {path}: write clientId, serverUrl and authToken there, run chmod 600 {path}, and install again (or pass --config PATH)"));
        }

        if (InstallFiles.SharedMode(path) is { } mode)
        {
            return (null, await _console.FailAsync(Refused, $"{path} holds authToken and group or others may read or write it (mode {InstallFiles.Octal(mode)}); run: chmod 600 {path}"));
        }

        var config = await _console.LoadServiceConfigAsync(path);
        return (config, config is null ? UsageError : Ok);
    }
}

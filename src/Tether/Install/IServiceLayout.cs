namespace Tether.Install;

/// <summary>
/// Where one service manager keeps the agent and how it is told (docs/protocol.md §8
/// <c>tether service</c>): the definition file (systemd unit, launchd plist), the installed
/// binary, the default config, and the commands that start, stop and query the service. Paths
/// are as they are on disk: under the install root when a test gives one.
/// </summary>
internal interface IServiceLayout
{
    /// <summary>"systemd", "launchd": for messages.</summary>
    string ManagerName { get; }

    /// <summary>The unit or plist file.</summary>
    string DefinitionPath { get; }

    /// <summary>Where the binary is installed (mode 0755, owned by root).</summary>
    string BinaryPath { get; }

    /// <summary>The config the service reads when <c>--config</c> is not given (its folder is made 0700).</summary>
    string DefaultConfigPath { get; }

    /// <summary>The user database <c>--user NAME</c> is looked up in (<c>/etc/passwd</c>); null where users live elsewhere (macOS).</summary>
    string? PasswdPath { get; }

    /// <summary>Further folders the service needs before its first start, with their modes (launchd does not make its log folder).</summary>
    IReadOnlyList<(string Path, UnixFileMode Mode)> ExtraFolders { get; }

    /// <summary>The definition file's text for this binary, config and user (null: root).</summary>
    string Render(string binaryPath, string configPath, string? user);

    /// <summary>What makes the service run the new definition: a first install, or a changed one (<paramref name="definitionChanged"/> false when only the binary or config changed).</summary>
    IReadOnlyList<ServiceCommandLine> StartCommands(bool firstInstall, bool definitionChanged);

    /// <summary>Stops the service and takes it out of the boot sequence; run before the definition is removed.</summary>
    IReadOnlyList<ServiceCommandLine> StopCommands();

    /// <summary>Run after the definition is removed (systemd's daemon-reload).</summary>
    IReadOnlyList<ServiceCommandLine> AfterRemoveCommands();

    /// <summary>Asks whether the service runs: exit 0 means active.</summary>
    ServiceCommandLine ActiveQuery();
}

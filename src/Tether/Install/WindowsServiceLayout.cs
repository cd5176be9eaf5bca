using System.Text.RegularExpressions;

namespace Tether.Install;

/// <summary>
/// Windows, the Service Control Manager driven with <c>sc.exe</c> (docs/protocol.md §8,
/// packaging/windows/README.md): the service <c>Tether</c>, <c>%ProgramFiles%\Tether\tether.exe</c>,
/// <c>%ProgramData%\Tether\agent-config.json</c>. Builds the <c>sc.exe</c> and <c>icacls.exe</c>
/// command lines and reads <c>sc query</c>'s answer; runs nothing itself.
/// </summary>
/// <remarks>Thread-safe: immutable.</remarks>
internal sealed partial class WindowsServiceLayout
{
    public const string ServiceName = "Tether";

    /// <summary><c>sc.exe failure … reset=</c>: the failure count resets after a day without failures.</summary>
    public const int ResetPeriodSeconds = 86400;

    /// <summary>ERROR_SERVICE_DOES_NOT_EXIST, <c>sc.exe</c>'s exit code for an unknown service.</summary>
    public const int ServiceDoesNotExist = 1060;

    /// <summary>ERROR_SERVICE_NOT_ACTIVE: <c>sc stop</c> of a stopped service.</summary>
    public const int ServiceNotActive = 1062;

    /// <summary>ERROR_SERVICE_ALREADY_RUNNING: <c>sc start</c> of a running service.</summary>
    public const int ServiceAlreadyRunning = 1056;

    /// <summary>SERVICE_AUTO_START, the registry's <c>Start</c> value of <c>start= auto</c>.</summary>
    public const int AutoStart = 2;

    /// <summary>Restart after 5 s, again after 5 s, then every 60 s (SC_ACTION_RESTART = 1, delays in ms).</summary>
    public static readonly IReadOnlyList<(int Type, int DelayMs)> FailureActions = [(1, 5000), (1, 5000), (1, 60000)];

    private readonly string _sc;
    private readonly string _icacls;

    /// <param name="programFiles"><c>%ProgramFiles%</c>.</param>
    /// <param name="programData"><c>%ProgramData%</c>.</param>
    /// <param name="systemFolder"><c>%SystemRoot%\System32</c>, where <c>sc.exe</c> and <c>icacls.exe</c> are run from (never through PATH).</param>
    public WindowsServiceLayout(string programFiles, string programData, string systemFolder)
    {
        ArgumentNullException.ThrowIfNull(programFiles);
        ArgumentNullException.ThrowIfNull(programData);
        ArgumentNullException.ThrowIfNull(systemFolder);
        BinaryPath = Path.Join(programFiles, "Tether", "tether.exe");
        DefaultConfigPath = Path.Join(programData, "Tether", "agent-config.json");
        _sc = Path.Join(systemFolder, "sc.exe");
        _icacls = Path.Join(systemFolder, "icacls.exe");
    }

    /// <summary>This machine's folders.</summary>
    public static WindowsServiceLayout ForThisMachine() => new(
        Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles),
        Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData),
        Environment.SystemDirectory);

    public string BinaryPath { get; }

    public string DefaultConfigPath { get; }

    /// <summary>The service's command line: both paths in double quotes, so that folders with spaces stay one word.</summary>
    public static string BinPath(string binaryPath, string configPath)
    {
        ArgumentNullException.ThrowIfNull(binaryPath);
        ArgumentNullException.ThrowIfNull(configPath);
        if (binaryPath.Contains('"', StringComparison.Ordinal) || configPath.Contains('"', StringComparison.Ordinal))
        {
            throw new ArgumentException("a Windows path cannot hold a double quote");
        }

        return $"\"{binaryPath}\" run --service --config \"{configPath}\"";
    }

    /// <summary><c>sc.exe failure</c>'s <c>actions=</c> value: <c>restart/5000/restart/5000/restart/60000</c>.</summary>
    public static string FailureActionsArgument => string.Join('/', FailureActions.Select(static a => "restart/" + a.DelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public ServiceCommandLine Create(string binPath) => Sc("create", ServiceName, "binPath=", binPath, "start=", "auto", "DisplayName=", "Tether");

    public ServiceCommandLine Config(string binPath) => Sc("config", ServiceName, "binPath=", binPath, "start=", "auto");

    public ServiceCommandLine Description() => Sc("description", ServiceName, "Tether host agent for the dashboard");

    public ServiceCommandLine Failure() => Sc("failure", ServiceName, "reset=", ResetPeriodSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "actions=", FailureActionsArgument);

    /// <summary>The failure actions also for a stop with a non-zero exit code, as the self-update's 75.</summary>
    public ServiceCommandLine FailureFlag() => Sc("failureflag", ServiceName, "1");

    public ServiceCommandLine Start() => Sc("start", ServiceName);

    public ServiceCommandLine Stop() => Sc("stop", ServiceName);

    public ServiceCommandLine Delete() => Sc("delete", ServiceName);

    public ServiceCommandLine Query() => Sc("query", ServiceName);

    /// <summary>Only SYSTEM and Administrators (by SID, whatever the language) may use the config's folder: the config holds authToken.</summary>
    public ServiceCommandLine RestrictFolder(string folder) =>
        new(_icacls, [folder, "/inheritance:r", "/grant:r", "*S-1-5-18:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F"]);

    /// <summary>The state word of <c>sc query</c>'s <c>STATE : 4 RUNNING</c> line; null when there is none.</summary>
    public static string? ParseState(string queryOutput)
    {
        ArgumentNullException.ThrowIfNull(queryOutput);
        var match = StateLine().Match(queryOutput);
        return match.Success ? match.Groups[1].Value : null;
    }

    private ServiceCommandLine Sc(params string[] arguments) => new(_sc, arguments);

    [GeneratedRegex(@"^\s*STATE\s*:\s*\d+\s+([A-Z_]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex StateLine();
}

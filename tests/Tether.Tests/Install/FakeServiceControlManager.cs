using System.Globalization;
using Tether.Install;
using Tether.Platform.ServiceHost;

namespace Tether.Tests.Install;

/// <summary>
/// A Service Control Manager that answers the <c>sc.exe</c> and <c>icacls.exe</c> command lines
/// of <see cref="WindowsServiceLayout"/> the way Windows does (exit codes, <c>sc query</c>'s STATE
/// line) and keeps the one service's configuration where <see cref="IInstalledServices"/> reads it.
/// Records every command; <see cref="Fail"/> makes one verb fail.
/// </summary>
internal sealed class FakeServiceControlManager : IServiceManagerCommands, IInstalledServices
{
    private readonly List<ServiceCommandLine> _issued = [];

    public InstalledService? Service { get; set; }

    public string State { get; set; } = "STOPPED";

    /// <summary>An sc verb (or "icacls", or "--version") and the exit code it fails with.</summary>
    public (string Verb, int ExitCode)? Fail { get; set; }

    /// <summary>The issued commands, the program by file name only: "sc.exe create Tether binPath= …".</summary>
    public IReadOnlyList<string> Issued => _issued.Select(static c => Path.GetFileName(c.Program) + " " + string.Join(' ', c.Arguments)).ToList();

    public IReadOnlyList<ServiceCommandLine> Commands => _issued;

    public InstalledService? Find(string serviceName) => serviceName == WindowsServiceLayout.ServiceName ? Service : null;

    public Task<ServiceCommandResult> RunAsync(ServiceCommandLine command, CancellationToken ct)
    {
        _issued.Add(command);
        string program = Path.GetFileName(command.Program);
        string verb = program switch
        {
            "sc.exe" => command.Arguments[0],
            "icacls.exe" => "icacls",
            _ => command.Arguments[0],
        };
        if (Fail is { } fail && fail.Verb == verb)
        {
            return Done(fail.ExitCode, "failed by the test");
        }

        if (program != "sc.exe")
        {
            return Done(0, verb == "--version" ? "1.2.3\n" : "processed 1 files\n");
        }

        if (verb != "create" && Service is null)
        {
            return Done(WindowsServiceLayout.ServiceDoesNotExist, "[SC] OpenService FAILED 1060:\n\nThe specified service does not exist as an installed service.\n");
        }

        switch (verb)
        {
            case "create":
                if (Service is not null)
                {
                    return Done(1073, "[SC] CreateService FAILED 1073:\n\nThe specified service already exists.\n");
                }

                Service = new InstalledService(Value(command, "binPath="), Value(command, "start=") == "auto" ? 2 : 3, null, [], false);
                return Done(0, "[SC] CreateService SUCCESS\n");
            case "config":
                Service = Service! with { ImagePath = Value(command, "binPath="), StartType = Value(command, "start=") == "auto" ? 2 : 3 };
                return Done(0, "[SC] ChangeServiceConfig SUCCESS\n");
            case "failure":
                var parts = Value(command, "actions=").Split('/');
                var actions = Enumerable.Range(0, parts.Length / 2).Select(i => (parts[2 * i] == "restart" ? 1 : 0, int.Parse(parts[(2 * i) + 1], CultureInfo.InvariantCulture))).ToList();
                Service = Service! with { ResetPeriodSeconds = int.Parse(Value(command, "reset="), CultureInfo.InvariantCulture), FailureActions = actions };
                return Done(0, "[SC] ChangeServiceConfig2 SUCCESS\n");
            case "failureflag":
                Service = Service! with { FailureActionsOnNonCrashFailures = command.Arguments[2] == "1" };
                return Done(0, "[SC] ChangeServiceConfig2 SUCCESS\n");
            case "description":
                return Done(0, "[SC] ChangeServiceConfig2 SUCCESS\n");
            case "start":
                if (State == "RUNNING")
                {
                    return Done(WindowsServiceLayout.ServiceAlreadyRunning, "[SC] StartService FAILED 1056:\n\nAn instance of the service is already running.\n");
                }

                State = "RUNNING";
                return Done(0, QueryText("START_PENDING"));
            case "stop":
                if (State == "STOPPED")
                {
                    return Done(WindowsServiceLayout.ServiceNotActive, "[SC] ControlService FAILED 1062:\n\nThe service has not been started.\n");
                }

                State = "STOPPED";
                return Done(0, QueryText("STOP_PENDING"));
            case "delete":
                Service = null;
                return Done(0, "[SC] DeleteService SUCCESS\n");
            case "query":
                return Done(0, QueryText(State));
            default:
                return Done(1639, "unknown verb " + verb);
        }
    }

    private static string QueryText(string state)
    {
        int code = state switch { "STOPPED" => 1, "START_PENDING" => 2, "STOP_PENDING" => 3, _ => 4 };
        return $"\nSERVICE_NAME: Tether\n        TYPE               : 10  WIN32_OWN_PROCESS\n        STATE              : {code}  {state}\n                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)\n        WIN32_EXIT_CODE    : 0  (0x0)\n";
    }

    private static string Value(ServiceCommandLine command, string key) => command.Arguments[command.Arguments.ToList().IndexOf(key) + 1];

    private static Task<ServiceCommandResult> Done(int code, string output) => Task.FromResult(new ServiceCommandResult(code, output));
}

using System.CommandLine;
using Tether.Install;

namespace Tether.Cli;

/// <summary>
/// The command line of docs/protocol.md §8: <c>tether [run] [--config PATH] [--insecure] [--log-level LEVEL]</c>
/// (plus <c>run --service</c> for the Windows Service Control Manager),
/// <c>tether check</c>, <c>tether stats</c>, <c>tether --version</c>,
/// <c>tether service install|uninstall|status</c>. Exit codes: 0 ok, 1 check failed, 2
/// configuration error (<c>service status</c>: 3 installed but not active, 4 not installed).
/// </summary>
internal static class AgentCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        var config = new Option<string?>("--config") { Description = "Path of agent-config.json (else CLIENT_CONFIG_PATH, else ./agent-config.json)", Recursive = true };
        var insecure = new Option<bool>("--insecure") { Description = "Do not verify the server's TLS certificate (logged as a warning at every connect)", Recursive = true };
        var logLevel = new Option<string?>("--log-level") { Description = "trace, debug, info, warn or error", Recursive = true };

        var service = new Option<bool>("--service") { Description = "Run under the Windows Service Control Manager (the installed service's command line passes it); an error elsewhere" };

        var selfTest = new Option<bool>("--self-test") { Description = "Load the config, print the version and exit 0 (an update runs this on a new binary before it replaces the running one)" };
        var manifest = new Option<string?>("--manifest") { Description = "The release manifest (JSON), exactly as signed" };
        var signature = new Option<string?>("--signature") { Description = "Its signature: openssl dgst -sha256 -sign key.pem -out manifest.sig manifest.json" };
        var url = new Option<string?>("--url") { Description = "https URL of the release file" };
        var file = new Option<string?>("--file") { Description = "Local path of the release file" };

        var run = new Command("run", "Run the agent (the default)") { service };
        var update = new Command("update", "Install a signed release over this binary (docs/protocol.md §10)") { manifest, signature, url, file };
        var check = new Command("check", "Validate the config and try the signed handshake, step by step");
        var stats = new Command("stats", "Print one telemetry sample as JSON");
        var user = new Option<string?>("--user") { Description = "Run the service as this user instead of root (its shells, commands and backups can do only what it may); not on Windows" };
        var monitorOnly = new Option<bool>("--monitor-only") { Description = "Terminal, admin commands, backups and key sync off: uses --config when it is so already, else writes a monitor-only copy of it as the service's config (never over an existing one)" };
        var serviceInstall = new Command("install", "Install and start the agent as a system service (systemd, launchd, the Windows Service Control Manager); run it again to update, it changes only what differs") { user, monitorOnly };
        var serviceUninstall = new Command("uninstall", "Stop and remove the service; the binary, config and state stay");
        var serviceStatus = new Command("status", "Is the service installed and running? Exit 0 active, 3 installed but not active, 4 not installed");
        var serviceVerb = new Command("service", "Install, remove or query the agent as a system service (docs/protocol.md §8)") { serviceInstall, serviceUninstall, serviceStatus };
        var root = new RootCommand("Tether: the host agent for the dashboard") { config, insecure, logLevel, selfTest, run, check, stats, update, serviceVerb };

        Func<ParseResult, CancellationToken, Task<int>> runAction = (result, _) =>
            RunCommand.ExecuteAsync(result.GetValue(config), result.GetValue(insecure) ? true : null, result.GetValue(logLevel));
        root.SetAction((result, ct) => result.GetValue(selfTest)
            ? SelfTestCommand.ExecuteAsync(result.GetValue(config), result.GetValue(insecure) ? true : null, Console.Out, Console.Error)
            : runAction(result, ct));
        run.SetAction((result, ct) => result.GetValue(service)
            ? ServiceRunCommand.ExecuteAsync(result.GetValue(config), result.GetValue(insecure) ? true : null, result.GetValue(logLevel), Console.Error)
            : runAction(result, ct));
        check.SetAction((result, ct) => CheckCommand.ExecuteAsync(result.GetValue(config), result.GetValue(insecure) ? true : null, Console.Out, ct));
        update.SetAction((result, ct) => UpdateCommand.ExecuteAsync(result.GetValue(config), result.GetValue(manifest), result.GetValue(signature), result.GetValue(url), result.GetValue(file), Console.Out, Console.Error, ct));
        stats.SetAction((_, ct) => StatsCommand.ExecuteAsync(Console.Out, Console.Error, ct));
        serviceInstall.SetAction(async (result, ct) =>
        {
            if (ServiceCommand.CurrentBinary() is not { } binary)
            {
                await Console.Error.WriteLineAsync("tether service install: run the published tether binary, not dotnet tether.dll");
                return 2;
            }

            var options = new ServiceInstallOptions { SourceBinary = binary, ConfigPath = result.GetValue(config), User = result.GetValue(user), MonitorOnly = result.GetValue(monitorOnly) };
            return await ServiceCommand.ExecuteAsync(ServiceCommand.Action.Install, options, Console.Out, Console.Error, ct);
        });
        serviceUninstall.SetAction((_, ct) => ServiceCommand.ExecuteAsync(ServiceCommand.Action.Uninstall, null, Console.Out, Console.Error, ct));
        serviceStatus.SetAction((_, ct) => ServiceCommand.ExecuteAsync(ServiceCommand.Action.Status, null, Console.Out, Console.Error, ct));

        // Signals are ours: the run command drains results before it exits (docs/protocol.md §7).
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return root.Parse(args).InvokeAsync(invocation);
    }
}

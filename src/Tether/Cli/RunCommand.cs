using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Tether.Agent;
using Tether.Commands;
using Tether.Config;
using Tether.Logging;
using Tether.Service;
using Tether.Update;

namespace Tether.Cli;

/// <summary><c>tether run</c>: load the config, set up logging, run until SIGTERM/SIGINT.</summary>
internal static class RunCommand
{
    public static Task<int> ExecuteAsync(string? configPath, bool? insecure, string? logLevel) =>
        ExecuteAsync(configPath, insecure, logLevel, serviceStop: null);

    /// <summary>
    /// With <paramref name="serviceStop"/> the agent runs as a Windows service: that token, which
    /// the Service Control Manager's stop and shutdown cancel, replaces the signals and starts the
    /// same shutdown SIGTERM does.
    /// </summary>
    public static async Task<int> ExecuteAsync(string? configPath, bool? insecure, string? logLevel, CancellationToken? serviceStop)
    {
        var (code, update) = await RunAgentAsync(configPath, insecure, logLevel, serviceStop);
        using (update)
        {
            // After an installed update or a rollback (docs/protocol.md §10), with the logs closed:
            // exec the binary now in place, or exit 75 for the service manager to restart it.
            return update is { RestartRequested: true } ? update.Restart(Console.Error, underServiceManager: serviceStop is not null) : code;
        }
    }

    private static async Task<(int Code, UpdateRuntime? Update)> RunAgentAsync(string? configPath, bool? insecure, string? logLevel, CancellationToken? serviceStop)
    {
        var load = ConfigLoader.Load(ConfigSources.FromProcess(configPath, insecure, logLevel));
        if (!load.Succeeded)
        {
            foreach (string warning in load.Warnings)
            {
                Console.Error.WriteLine("tether: warning: " + warning);
            }

            LogSetup.ReportFatal("tether: " + load.Error, load.LogFileHint);
            return (2, null);
        }

        AgentConfig config = load.Config!;
        if (!CommandPolicy.TryCreate(config.Admin.AllowedCommands, out _, out string? policyError))
        {
            // Checked here, not at the first admin_run: a bad allowlist is a config error (exit 2).
            LogSetup.ReportFatal("tether: config: " + policyError, config.Logging.File);
            return (2, null);
        }

        await using var logging = LogSetup.Create(config, logLevel);
        var startupLog = logging.LoggerFactory.CreateLogger("Tether.Config");
        foreach (string warning in load.Warnings)
        {
            startupLog.LogWarning("config: {Warning}", warning);
        }

        var update = UpdateRuntime.Open(config, logging.Audit, logging.LoggerFactory.CreateLogger("Tether.Update"));
        if (update.RestartRequested)
        {
            return (0, update);
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(serviceStop ?? CancellationToken.None);
        using var sigterm = serviceStop is null ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop) : null;
        using var sigint = serviceStop is null ? PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop) : null;
        using var sigquit = serviceStop is null ? PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop) : null;
        using var systemd = SystemdNotifier.FromEnvironment(config.ServerUri, TimeProvider.System, logging.LoggerFactory);
        var host = new AgentHost(config, logging.LoggerFactory, logging.Audit, TimeProvider.System, systemd, update);
        return (await host.RunAsync(stopping.Token), update);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }
}

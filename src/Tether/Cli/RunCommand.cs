using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Tether.Agent;
using Tether.Commands;
using Tether.Config;
using Tether.Logging;
using Tether.Service;

namespace Tether.Cli;

/// <summary><c>tether run</c>: load the config, set up logging, run until SIGTERM/SIGINT.</summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(string? configPath, bool? insecure, string? logLevel)
    {
        var load = ConfigLoader.Load(ConfigSources.FromProcess(configPath, insecure, logLevel));
        if (!load.Succeeded)
        {
            foreach (string warning in load.Warnings)
            {
                Console.Error.WriteLine("tether: warning: " + warning);
            }

            LogSetup.ReportFatal("tether: " + load.Error, load.LogFileHint);
            return 2;
        }

        AgentConfig config = load.Config!;
        if (!CommandPolicy.TryCreate(config.Admin.AllowedCommands, out _, out string? policyError))
        {
            // Checked here, not at the first admin_run: a bad allowlist is a config error (exit 2).
            LogSetup.ReportFatal("tether: config: " + policyError, config.Logging.File);
            return 2;
        }

        await using var logging = LogSetup.Create(config, logLevel);
        var startupLog = logging.LoggerFactory.CreateLogger("Tether.Config");
        foreach (string warning in load.Warnings)
        {
            startupLog.LogWarning("config: {Warning}", warning);
        }

        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
        using var systemd = SystemdNotifier.FromEnvironment(config.ServerUri, TimeProvider.System, logging.LoggerFactory);
        var host = new AgentHost(config, logging.LoggerFactory, logging.Audit, TimeProvider.System, systemd);
        return await host.RunAsync(stopping.Token);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }
}

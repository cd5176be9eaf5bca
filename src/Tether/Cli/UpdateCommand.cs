using Tether.Config;
using Tether.Logging;
using Tether.Update;

namespace Tether.Cli;

/// <summary>
/// <c>tether update --manifest FILE --signature FILE (--url URL | --file PATH)</c> (docs/protocol.md §8, §10):
/// the dashboard's <c>agent_update</c> by hand, with the same checks, audit lines and install
/// steps, without the rollout delay. The running service is not restarted: the new binary
/// starts on probation at its next start. Exit 0 installed, 1 refused or failed, 2 usage or
/// configuration error.
/// </summary>
internal static class UpdateCommand
{
    public static async Task<int> ExecuteAsync(string? configPath, string? manifestPath, string? signaturePath, string? url, string? file, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (manifestPath is null || signaturePath is null || (url is null) == (file is null))
        {
            await error.WriteLineAsync("tether update: needs --manifest FILE --signature FILE and one of --url URL or --file PATH");
            return 2;
        }

        Uri? uri = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            await error.WriteLineAsync("tether update: --url must be an absolute https URL");
            return 2;
        }

        var load = ConfigLoader.Load(ConfigSources.FromProcess(configPath, null, null));
        if (!load.Succeeded)
        {
            await error.WriteLineAsync("tether: " + load.Error);
            return 2;
        }

        AgentConfig config = load.Config!;
        byte[] manifest;
        byte[] signature;
        try
        {
            manifest = await File.ReadAllBytesAsync(manifestPath, ct);
            signature = await File.ReadAllBytesAsync(signaturePath, ct);
            if (file is not null && !File.Exists(file))
            {
                throw new FileNotFoundException($"{file} does not exist");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("tether update: " + e.Message);
            return 2;
        }

        await using var logging = LogSetup.Create(config, null);
        string? binary = UpdateRuntime.CurrentBinary();
        var service = new UpdateService(config, new UpdateStore(config.StateDir), binary, logging.Audit, TimeProvider.System);
        var outcome = await service.ApplyAsync(manifest, signature, new UpdateSource(uri, file is null ? null : Path.GetFullPath(file)), automatic: false, ct);
        if (!outcome.Ok)
        {
            await error.WriteLineAsync($"tether update: {(outcome.Refused ? "refused" : "failed")}: {outcome.Error}");
            return 1;
        }

        await output.WriteLineAsync($"installed {outcome.To} over {outcome.From} at {binary} (the previous binary is kept as {UpdateInstaller.PreviousPath(binary!)})");
        string restart = OperatingSystem.IsWindows() ? "sc.exe stop Tether, then sc.exe start Tether" : "systemctl restart tether";
        await output.WriteLineAsync($"restart the agent to run it ({restart}); it must reach the dashboard within {config.Update.ProbationSec} s or it is rolled back");
        return 0;
    }
}

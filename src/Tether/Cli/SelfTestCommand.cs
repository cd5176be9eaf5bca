using Tether.Commands;
using Tether.Config;
using Tether.Update;

namespace Tether.Cli;

/// <summary>
/// <c>tether --self-test [--config PATH]</c> (docs/protocol.md §8, §10): the check an update runs on
/// a downloaded binary before it may replace the running one — it starts, loads and validates the
/// config, prints <c>tether VERSION: self-test ok</c> and exits 0 (2 on a config error). It opens
/// no connection and writes no file.
/// </summary>
internal static class SelfTestCommand
{
    public static async Task<int> ExecuteAsync(string? configPath, bool? insecure, TextWriter output, TextWriter error)
    {
        var load = ConfigLoader.Load(ConfigSources.FromProcess(configPath, insecure, null));
        if (!load.Succeeded)
        {
            await error.WriteLineAsync("tether: " + load.Error);
            return 2;
        }

        if (!CommandPolicy.TryCreate(load.Config!.Admin.AllowedCommands, out _, out string? policyError))
        {
            await error.WriteLineAsync("tether: config: " + policyError);
            return 2;
        }

        await output.WriteLineAsync(UpdateInstaller.SelfTestLine(AgentInfo.Version));
        return 0;
    }
}

using System.Globalization;
using Tether.Config;

namespace Tether.Install;

/// <summary>
/// What every <c>tether service</c> installer says and runs the same way: service-manager commands
/// echoed and their failures reported, refusals prefixed, the service's config loaded on its own.
/// </summary>
/// <remarks>Not thread-safe: one command at a time, like the installers that use it.</remarks>
internal sealed class ServiceConsole(IServiceManagerCommands commands, TextWriter output, TextWriter error)
{
    /// <summary>Runs <paramref name="command"/>, echoed as <c>$ …</c>; a failure is reported with its exit code and output.</summary>
    public async Task<bool> RunAsync(ServiceCommandLine command, CancellationToken ct)
    {
        await output.WriteLineAsync("$ " + command);
        var result = await commands.RunAsync(command, ct);
        if (result.Succeeded)
        {
            return true;
        }

        await error.WriteLineAsync($"tether service: {command} failed (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {result.Output.Trim()}");
        return false;
    }

    /// <summary>Reports <paramref name="message"/> and returns <paramref name="code"/>.</summary>
    public async Task<int> FailAsync(int code, string message)
    {
        await error.WriteLineAsync("tether service: " + message);
        return code;
    }

    /// <summary>
    /// The config at <paramref name="path"/> as the service will load it: the file alone, since the
    /// service does not get this shell's environment. Warnings are printed; a config that does not
    /// load is reported and gives <see langword="null"/>.
    /// </summary>
    public async Task<AgentConfig?> LoadServiceConfigAsync(string path)
    {
        var load = ConfigLoader.Load(new ConfigSources { ConfigPathFlag = path, WorkingDirectory = Path.GetDirectoryName(path)! });
        if (!load.Succeeded)
        {
            await FailAsync(ServiceExitCodes.UsageError, $"{path} is not a config the service can start with: {load.Error}");
            return null;
        }

        foreach (string warning in load.Warnings)
        {
            await error.WriteLineAsync("tether service: warning: " + warning);
        }

        return load.Config;
    }
}

using System.ComponentModel;
using System.Diagnostics;

namespace Tether.Install;

/// <summary>The real <see cref="IServiceManagerCommands"/>: a child process with its output captured, found through PATH.</summary>
/// <remarks>Thread-safe: stateless.</remarks>
internal sealed class ProcessServiceManagerCommands : IServiceManagerCommands
{
    public async Task<ServiceCommandResult> RunAsync(ServiceCommandLine command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo(command.Program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("did not start");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return new ServiceCommandResult(-1, $"{command.Program} did not start: {e.Message}");
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(ct);
            Task<string> stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return new ServiceCommandResult(process.ExitCode, await stdout + await stderr);
        }
    }
}

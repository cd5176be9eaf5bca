using System.Diagnostics;
using System.Text;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>One run of a command-line tool (systemd-analyze, python3, bash) with its output.</summary>
internal sealed record ToolRun(int ProcessId, int ExitCode, string StandardOutput, string StandardError)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the pipes may stay open after the tool exited. A process the tool started and
    /// left running holds them: under Wine, the first program of a session starts wineboot,
    /// whose services.exe inherits that program's stderr and lives as long as the session.
    /// </summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="file"/>; <paramref name="environment"/> entries override the inherited
    /// ones, a null value removes one. Killed with its process tree after <paramref name="deadline"/>
    /// (default 60 s). The output is what the pipes carried up to their end, or up to 5 s after
    /// the tool exited when something it started keeps them open.
    /// </summary>
    public static async Task<ToolRun> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, TimeSpan? deadline = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        int pid = process.Id;
        var stdoutText = new StringBuilder();
        var stderrText = new StringBuilder();
        Task stdout = PumpAsync(process.StandardOutput, stdoutText);
        Task stderr = PumpAsync(process.StandardError, stderrText);
        var limit = deadline ?? Deadline;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish within {limit.TotalSeconds} s");
        }

        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(OutputGrace));
        return new ToolRun(pid, process.ExitCode, Snapshot(stdoutText), Snapshot(stderrText));
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (sink)
            {
                sink.Append(buffer, 0, read);
            }
        }
    }

    private static string Snapshot(StringBuilder sink)
    {
        lock (sink)
        {
            return sink.ToString();
        }
    }

    /// <summary>The full path of <paramref name="name"/> on PATH (or the usual system folders), else null.</summary>
    public static string? Find(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]);
        return folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

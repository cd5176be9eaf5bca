using System.Diagnostics;
using System.Text;

namespace Tether.Backup;

/// <summary>
/// Runs rsync for remote mode as an argv list (no local shell), feeds its progress2 output to
/// <see cref="BackupProgress"/>, and kills it (with ssh) when cancelled. rsync and ssh get the
/// minimal <see cref="RsyncEnvironment"/>, not the agent's. One instance per job.
/// </summary>
internal sealed class RsyncRunner(BackupProgress progress)
{
    private const int MaxStderrChars = 8192;

    /// <summary>Runs one rsync; returns null on success, else the error for <c>backup_error</c>.</summary>
    public async Task<string?> RunAsync(string rsyncPath, IReadOnlyList<string> args, long filesBefore, long bytesBefore, Action<string>? onLine, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(rsyncPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        RsyncEnvironment.Apply(psi);
        using var process = Process.Start(psi) ?? throw new IOException("rsync did not start");
        process.StandardInput.Close();
        var stderr = new StringBuilder();
        Task stderrTask = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                if (stderr.Length < MaxStderrChars)
                {
                    stderr.AppendLine(line);
                }
            }
        }, CancellationToken.None);

        using var kill = ct.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        });

        await ReadProgressAsync(process.StandardOutput, filesBefore, bytesBefore, onLine);
        await process.WaitForExitAsync(CancellationToken.None);
        await stderrTask;
        ct.ThrowIfCancellationRequested();
        if (process.ExitCode == 0)
        {
            return null;
        }

        string message = stderr.ToString().Trim();
        return $"rsync exited with code {process.ExitCode}" + (message.Length > 0 ? ": " + message : string.Empty);
    }

    /// <summary>
    /// What <c>rsync --version</c> prints (its first 4 KiB), or an empty string when it does not
    /// start or does not finish within <paramref name="timeout"/> (then it is killed).
    /// </summary>
    public static async Task<string> ReadVersionAsync(string rsyncPath, TimeSpan timeout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(rsyncPath) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("--version");
        RsyncEnvironment.Apply(psi);
        Process? process;
        try
        {
            process = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return string.Empty;
        }

        if (process is null)
        {
            return string.Empty;
        }

        using (process)
        {
            process.StandardInput.Close();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            try
            {
                var buffer = new char[4096];
                int length = 0;
                int n;
                while (length < buffer.Length && (n = await process.StandardOutput.ReadAsync(buffer.AsMemory(length), deadline.Token)) > 0)
                {
                    length += n;
                }

                await process.WaitForExitAsync(deadline.Token);
                return new string(buffer, 0, length);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return string.Empty;
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private async Task ReadProgressAsync(StreamReader output, long filesBefore, long bytesBefore, Action<string>? onLine)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        while (true)
        {
            int n = await output.ReadAsync(buffer, CancellationToken.None);
            if (n == 0)
            {
                Handle(line.ToString());
                return;
            }

            for (int i = 0; i < n; i++)
            {
                char c = buffer[i];
                if (c is '\r' or '\n')
                {
                    Handle(line.ToString());
                    line.Clear();
                }
                else if (line.Length < 8192)
                {
                    line.Append(c);
                }
            }
        }

        void Handle(string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            if (RsyncProgressParser.TryParseProgress(text, out long bytes, out _, out long transferred))
            {
                progress.SetAbsolute(bytesBefore + bytes, filesBefore + transferred);
            }
            else
            {
                progress.Begin(text, "rsync");
                onLine?.Invoke(text);
            }
        }
    }
}

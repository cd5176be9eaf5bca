using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Tether.Config;
using Tether.Transport;

namespace Tether.Update;

/// <summary>
/// Puts a verified release in place of the running binary (docs/protocol.md §10), each step
/// leaving a runnable binary behind if the process is killed there:
/// 1. the file is downloaded (https, size cap, time limit) or read into <c>.tether.update.tmp</c>
///    beside the binary — the binary is untouched;
/// 2. its size and SHA-256 are checked against the manifest;
/// 3. it runs once as <c>--self-test --config …</c> and must exit 0 naming the manifest's version;
/// 4. the running binary is copied to <c>tether.previous</c> (temporary file, rename);
/// 5. the highest version and the probation record are written to stateDir;
/// 6. the new file is renamed over the binary (atomic).
/// A kill before 6 leaves the old binary (a stale probation record is noticed at the next start);
/// after 6 the new binary starts on probation.
/// </summary>
internal sealed class UpdateInstaller
{
    public static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan SelfTestTimeout = TimeSpan.FromSeconds(30);

    public const string TempFileName = ".tether.update.tmp";

    private readonly AgentConfig _config;
    private readonly UpdateStore _store;
    private readonly string _binaryPath;

    public UpdateInstaller(AgentConfig config, UpdateStore store, string binaryPath)
    {
        _config = config;
        _store = store;
        _binaryPath = binaryPath;
    }

    /// <summary><c>tether.previous</c> (<c>tether.previous.exe</c> on Windows) beside the binary.</summary>
    public static string PreviousPath(string binaryPath) =>
        Path.Join(Path.GetDirectoryName(binaryPath), OperatingSystem.IsWindows() ? "tether.previous.exe" : "tether.previous");

    /// <summary>Null when the new binary is in place; else why nothing was changed.</summary>
    public async Task<string?> InstallAsync(VerifiedManifest manifest, SemVersion running, UpdateSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(source);
        if (OperatingSystem.IsWindows())
        {
            return "self-update is not supported on Windows yet (a running .exe cannot be replaced in place)";
        }

        string directory = Path.GetDirectoryName(_binaryPath)!;
        string temp = Path.Join(directory, TempFileName);
        try
        {
            File.Delete(temp);
            string? error = source.Url is { } url
                ? await DownloadAsync(url, manifest.Size, temp, ct)
                : CopyLocal(source.FilePath!, manifest.Size, temp);
            error ??= CheckFile(temp, manifest);
            if (error is null)
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(_binaryPath));
                error = await SelfTestAsync(temp, manifest.Version, ct);
            }

            if (error is not null)
            {
                File.Delete(temp);
                return error;
            }

            AtomicFile.Copy(_binaryPath, PreviousPath(_binaryPath));
            _store.RaiseHighest(manifest.Version);
            _store.WriteProbation(new ProbationRecord { From = running.Text, To = manifest.Version.Text });
            File.Move(temp, _binaryPath, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            return $"cannot install into {directory}: {e.Message}";
        }
        catch (OperationCanceledException)
        {
            TryDelete(temp);
            return "agent shutting down";
        }
    }

    private async Task<string?> DownloadAsync(Uri url, long size, string temp, CancellationToken ct)
    {
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return $"the download URL must be https (got {url.Scheme})";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DownloadTimeout);
        HttpGetResult response;
        try
        {
            var client = new HttpGetClient(new OutboundConnection(_config.Transport.CaFile, _config.Transport.SkipTlsVerify, _config.Proxy.ProxyFor, DownloadTimeout));
            response = await client.GetAsync(url, (int)size, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"download from {url.GetLeftPart(UriPartial.Path)} did not finish within {DownloadTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        catch (IOException e)
        {
            return $"download from {url.GetLeftPart(UriPartial.Path)} failed: {e.Message}";
        }

        if (response.Head.Status is < 200 or > 299)
        {
            return $"download from {url.GetLeftPart(UriPartial.Path)} answered HTTP {response.Head.Status.ToString(CultureInfo.InvariantCulture)} {response.Head.Reason}";
        }

        if (response.TooLarge)
        {
            return $"size mismatch: the download is larger than the manifest's {size.ToString(CultureInfo.InvariantCulture)} bytes";
        }

        using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        await output.WriteAsync(response.Body, ct);
        output.Flush(flushToDisk: true);
        return null;
    }

    private static string? CopyLocal(string path, long size, string temp)
    {
        long length = new FileInfo(path).Length;
        if (length != size)
        {
            return $"size mismatch: {path} is {length.ToString(CultureInfo.InvariantCulture)} bytes, the manifest says {size.ToString(CultureInfo.InvariantCulture)}";
        }

        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        input.CopyTo(output);
        output.Flush(flushToDisk: true);
        return null;
    }

    private static string? CheckFile(string temp, VerifiedManifest manifest)
    {
        using var stream = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length != manifest.Size)
        {
            return $"size mismatch: the file is {stream.Length.ToString(CultureInfo.InvariantCulture)} bytes, the manifest says {manifest.Size.ToString(CultureInfo.InvariantCulture)}";
        }

        byte[] hash = SHA256.HashData(stream);
        return CryptographicOperations.FixedTimeEquals(hash, manifest.Sha256)
            ? null
            : $"sha256 mismatch: the file's is {Convert.ToHexStringLower(hash)}, the manifest says {Convert.ToHexStringLower(manifest.Sha256)}";
    }

    /// <summary>The new file must start, load this config and say it is the manifest's version.</summary>
    private async Task<string?> SelfTestAsync(string path, SemVersion version, CancellationToken ct)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--self-test");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(_config.ConfigPath);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException("did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return "self-test failed: the new file does not start: " + e.Message;
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(SelfTestTimeout);
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                string output = await stdout;
                string errors = await stderr;
                if (process.ExitCode != 0)
                {
                    return $"self-test failed: the new file exited {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {Policy.TextChecks.ForDisplay(errors.Trim(), 300)}";
                }

                string expected = SelfTestLine(version.Text);
                return output.Contains(expected, StringComparison.Ordinal)
                    ? null
                    : $"self-test failed: the new file did not report version {version} (said '{Policy.TextChecks.ForDisplay(output.Trim(), 200)}')";
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested)
                {
                    throw;
                }

                return $"self-test failed: the new file did not exit within {SelfTestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
            }
        }
    }

    /// <summary>What <c>tether --self-test</c> prints on success.</summary>
    public static string SelfTestLine(string version) => $"tether {version}: self-test ok";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next attempt, which deletes it first.
        }
    }
}

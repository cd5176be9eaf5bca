using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Tether.Config;
using Tether.Transport;

namespace Tether.Update;

/// <summary>
/// Puts a verified release in place of the running binary (docs/protocol.md §10), each step
/// leaving a runnable binary behind if the process is killed there:
/// 1. the file is downloaded (https, size cap, time limit) or copied into <c>.tether.update.tmp</c>
///    beside the binary as it arrives, then flushed to disk — the binary is untouched;
/// 2. its size and SHA-256 are checked against the manifest;
/// 3. it runs once as <c>--self-test --config …</c> and must exit 0 naming the manifest's version;
/// 4. Unix: the running binary is copied to <c>tether.previous</c> (temporary file, rename);
/// 5. the highest version and the probation record are written to stateDir;
/// 6. the new file is renamed over the binary (atomic; on Windows the running .exe is renamed to
///    <c>tether.previous.exe</c> first, see <see cref="BinarySwap"/>); the folder is synced.
/// A kill before 6 leaves the old binary (a stale probation record is reported at the next
/// start, leftovers are removed then); after 6 the new binary starts on probation.
/// </summary>
internal sealed class UpdateInstaller
{
    public static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan SelfTestTimeout = TimeSpan.FromSeconds(30);

    private readonly AgentConfig _config;
    private readonly UpdateStore _store;
    private readonly BinarySwap _swap;

    public UpdateInstaller(AgentConfig config, UpdateStore store, string binaryPath)
    {
        _config = config;
        _store = store;
        _swap = new BinarySwap(BinaryFiles.Instance, binaryPath, OperatingSystem.IsWindows());
    }

    /// <summary><c>tether.previous</c> (<c>tether.previous.exe</c> on Windows) beside the binary.</summary>
    public static string PreviousPath(string binaryPath) => BinarySwap.PreviousPath(binaryPath, OperatingSystem.IsWindows());

    /// <summary>Null when the new binary is in place; else why nothing was changed.</summary>
    public async Task<string?> InstallAsync(VerifiedManifest manifest, SemVersion running, UpdateSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(source);
        string temp = _swap.Temp;
        bool probationWritten = false;
        try
        {
            File.Delete(temp);
            string? error = source.Url is { } url
                ? await DownloadAsync(url, manifest.Size, temp, ct)
                : CopyLocal(source.FilePath!, manifest.Size, temp);
            error ??= CheckFile(temp, manifest);
            if (error is null)
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, File.GetUnixFileMode(_swap.BinaryPath));
                }

                error = await SelfTestAsync(temp, manifest.Version, ct);
            }

            if (error is not null)
            {
                File.Delete(temp);
                return error;
            }

            await UpdateTestPause.AtAsync(UpdateTestPause.Verified, ct);
            BundlePreload.LoadAll();
            _swap.KeepPrevious();
            await UpdateTestPause.AtAsync(UpdateTestPause.PreviousKept, ct);
            _store.RaiseHighest(manifest.Version);
            _store.WriteProbation(new ProbationRecord { From = running.Text, To = manifest.Version.Text });
            probationWritten = true;
            await UpdateTestPause.AtAsync(UpdateTestPause.ProbationWritten, ct);
            _swap.PutInPlace();
            await UpdateTestPause.AtAsync(UpdateTestPause.Swapped, CancellationToken.None);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Undo(probationWritten);
            return $"cannot install into {_swap.Directory}: {e.Message}";
        }
        catch (OperationCanceledException)
        {
            Undo(probationWritten);
            return "agent shutting down";
        }
    }

    /// <summary>After a failure: the download goes, and the probation record when the new file did not get into place.</summary>
    private void Undo(bool probationWritten)
    {
        // The download is gone only when the rename put it in place (and a later step failed,
        // such as the folder sync): then the new binary is there and its probation stays.
        bool inPlace = probationWritten && !File.Exists(_swap.Temp);
        TryDelete(_swap.Temp);
        if (probationWritten && !inPlace)
        {
            try
            {
                _store.DeleteProbation();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next start finds it naming another version than its own and reports the update as interrupted.
            }
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

        // Written as it arrives (bufferSize 0: no bytes wait in the process), so a release never
        // has to fit in memory; a kill leaves a partial file that the next start removes.
        using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            try
            {
                var client = new HttpGetClient(new OutboundConnection(_config.Transport.CaFile, _config.Transport.SkipTlsVerify, _config.Proxy.ProxyFor, DownloadTimeout));
                response = await client.GetAsync(url, size, output, timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return $"download from {url.GetLeftPart(UriPartial.Path)} did not finish within {DownloadTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
            }
            catch (IOException e)
            {
                return $"download from {url.GetLeftPart(UriPartial.Path)} failed: {e.Message}";
            }

            output.Flush(flushToDisk: true);
        }

        if (response.Head.Status is < 200 or > 299)
        {
            return $"download from {url.GetLeftPart(UriPartial.Path)} answered HTTP {response.Head.Status.ToString(CultureInfo.InvariantCulture)} {response.Head.Reason}";
        }

        if (response.TooLarge)
        {
            return $"size mismatch: the download is larger than the manifest's {size.ToString(CultureInfo.InvariantCulture)} bytes";
        }

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

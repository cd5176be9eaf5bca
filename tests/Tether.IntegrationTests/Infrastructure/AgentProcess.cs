using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// The agent under test in a child process, with its config, logs and state in a fresh temp
/// folder (the defaults put <c>agent.log</c>, <c>audit.log</c> and <c>state/</c> beside the config).
/// </summary>
/// <remarks>
/// Thread-safe. The binary is <c>TETHER_AGENT_BIN</c> when set (the NativeAOT publish; started by
/// <c>TETHER_AGENT_LAUNCHER</c> with the binary as its first argument when that is set too, as
/// scripts/test runs the win-x64 file under <c>wine64</c>), else
/// <c>dotnet src/Tether/bin/&lt;Debug|Release&gt;/net10.0/tether.dll</c>, the newest build.
/// <see cref="DisposeAsync"/> kills the process tree if it still runs and deletes the folder
/// (kept when <c>TETHER_KEEP_TEST_DIRS=1</c>).
/// </remarks>
public sealed class AgentProcess : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Variables that change the agent's config (docs/protocol.md §7) and proxy choice (§2), and systemd's
    /// notify variables (a test runner started by systemd must not lend its socket to agents).
    /// </summary>
    private static readonly HashSet<string> ConfigVariables = new(StringComparer.Ordinal)
    {
        "CLIENT_ID", "SERVER_URL", "AUTH_TOKEN", "STATS_INTERVAL_SEC", "HEARTBEAT_INTERVAL_SEC",
        "PONG_TIMEOUT_SEC", "ADMIN_ALLOWED_COMMANDS", "ADMIN_MAX_CONCURRENT", "AGENT_SKIP_TLS_VERIFY",
        "AGENT_CA_FILE", "KEYS_BASE_URL", "LOG_FILE", "LOG_LEVEL", "STATE_DIR", "CLIENT_CONFIG_PATH",
        "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
    };

    private readonly Process _process;
    private readonly WaitableLog<string> _stdout = new();
    private readonly WaitableLog<string> _stderr = new();
    private readonly Task _completion;
    private bool _disposed;

    private AgentProcess(Process process, string directory, string commandLine)
    {
        _process = process;
        Directory = directory;
        CommandLine = commandLine;
        ProcessId = process.Id;
        var stdout = PumpAsync(process.StandardOutput, _stdout);
        var stderr = PumpAsync(process.StandardError, _stderr);
        _completion = WatchAsync(stdout, stderr);
    }

    /// <summary>The agent's temp folder.</summary>
    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "agent-config.json");

    /// <summary>Where the agent logs by default (beside the config).</summary>
    public string LogPath => Path.Combine(Directory, "agent.log");

    public string AuditLogPath => Path.Combine(Directory, "audit.log");

    public string StateDirectory => Path.Combine(Directory, "state");

    public int ProcessId { get; }

    /// <summary>What was run, for failure messages.</summary>
    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StandardOutputLines => _stdout.Snapshot();

    public IReadOnlyList<string> StandardErrorLines => _stderr.Snapshot();

    /// <summary>True when the agent under test is the Windows file (run through <c>TETHER_AGENT_LAUNCHER</c>, i.e. Wine).</summary>
    public static bool IsWindowsAgent =>
        Environment.GetEnvironmentVariable("TETHER_AGENT_BIN") is { Length: > 0 } bin
        && bin.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
        && Environment.GetEnvironmentVariable("TETHER_AGENT_LAUNCHER") is { Length: > 0 };

    /// <summary>True for a variable that would change the agent's config or proxy: removed from the child's environment unless a test sets it.</summary>
    public static bool IsConfigVariable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ConfigVariables.Contains(name) || name.EndsWith("_PROXY", StringComparison.OrdinalIgnoreCase);
    }

    public static Task<AgentProcess> StartAsync(JsonNode config, CancellationToken ct = default) =>
        StartAsync(new AgentOptions { Config = config }, ct);

    public static Task<AgentProcess> StartAsync(AgentOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ct.ThrowIfCancellationRequested();
        var directory = System.IO.Directory.CreateTempSubdirectory("tether-agent-").FullName;
        try
        {
            var configPath = Path.Combine(directory, "agent-config.json");
            if (options.Config is not null)
            {
                File.WriteAllText(
                    configPath,
                    options.Config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
                    Utf8NoBom);

                // As an install should have it: the file holds authToken (the agent warns otherwise).
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            var psi = new ProcessStartInfo
            {
                WorkingDirectory = options.WorkingDirectory ?? directory,
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardInputEncoding = Utf8NoBom,
                StandardOutputEncoding = Utf8NoBom,
                StandardErrorEncoding = Utf8NoBom,
            };
            var (executable, prefix) = options.Executable is not null
                ? (options.Executable, options.ExecutableArgs)
                : ResolveAgent();
            psi.FileName = executable;
            foreach (var arg in prefix)
            {
                psi.ArgumentList.Add(arg);
            }

            if (options.Verb is not null)
            {
                psi.ArgumentList.Add(options.Verb);
            }

            if (options.Config is not null && options.PassConfigPath)
            {
                psi.ArgumentList.Add("--config");
                psi.ArgumentList.Add(configPath);
            }

            foreach (var arg in options.ExtraArgs)
            {
                psi.ArgumentList.Add(arg);
            }

            foreach (var name in psi.Environment.Keys.Where(IsConfigVariable).ToList())
            {
                psi.Environment.Remove(name);
            }

            foreach (var (name, value) in options.Environment)
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

            var commandLine = string.Join(" ", new[] { psi.FileName }.Concat(psi.ArgumentList));
            var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {commandLine}");
            return Task.FromResult(new AgentProcess(process, directory, commandLine));
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>Sends a signal (<see cref="UnixSignals.SIGTERM"/>, <see cref="UnixSignals.SIGINT"/>, ...) to the agent.</summary>
    public void SendSignal(int signum)
    {
        if (!UnixSignals.Send(ProcessId, signum))
        {
            throw new InvalidOperationException($"The agent (pid {ProcessId}) is gone. {Describe()}");
        }
    }

    /// <summary>Writes a line to the agent's stdin (kept open and otherwise unused).</summary>
    public async Task WriteStandardInputLineAsync(string line, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(line);
        await _process.StandardInput.WriteLineAsync(line.AsMemory(), ct);
        await _process.StandardInput.FlushAsync(ct);
    }

    /// <summary>Waits for the agent to exit and returns its exit code (128 + n after signal n).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _completion.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The agent did not exit within {timeout.TotalSeconds:0.###} s. {Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for a stdout line (including earlier ones) that matches.</summary>
    public async Task<string> WaitForStandardOutputAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct = default) =>
        (await _stdout.WaitAsync(match, 1, 0, timeout, () => $"a matching stdout line of the agent. {Describe()}", ct))[0];

    /// <summary>Waits for a stderr line (the agent's readable log copy; including earlier ones) that matches.</summary>
    public async Task<string> WaitForStandardErrorAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct = default) =>
        (await _stderr.WaitAsync(match, 1, 0, timeout, () => $"a matching stderr line of the agent. {Describe()}", ct))[0];

    /// <summary>Lines of <see cref="LogPath"/> (or another file) now; empty when it does not exist yet.</summary>
    public IReadOnlyList<string> ReadLogLines(string? path = null) => ReadLines(path ?? LogPath);

    public IReadOnlyList<string> ReadAuditLines() => ReadLines(AuditLogPath);

    /// <summary>The JSON lines of the log now; lines that are not JSON (a half-written last one) are skipped.</summary>
    public IReadOnlyList<JsonElement> ReadLogRecords(string? path = null) => ParseJsonLines(ReadLines(path ?? LogPath));

    public IReadOnlyList<JsonElement> ReadAuditRecords() => ParseJsonLines(ReadLines(AuditLogPath));

    /// <summary>Waits until a JSON line of the log matches (the file is polled).</summary>
    public Task<JsonElement> WaitForLogAsync(Func<JsonElement, bool> match, TimeSpan timeout, CancellationToken ct = default) =>
        WaitForJsonLineAsync(LogPath, match, timeout, ct);

    public Task<JsonElement> WaitForAuditAsync(Func<JsonElement, bool> match, TimeSpan timeout, CancellationToken ct = default) =>
        WaitForJsonLineAsync(AuditLogPath, match, timeout, ct);

    /// <summary>Command line, exit state and the tails of stdout, stderr and the log, for failure messages.</summary>
    public string Describe(int lastLines = 20)
    {
        var nl = Environment.NewLine;
        var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"running (pid {ProcessId})";
        return $"Agent `{CommandLine}` {state}.{nl}"
            + Section("stdout", StandardOutputLines, lastLines)
            + Section("stderr", StandardErrorLines, lastLines)
            + Section(LogPath, ReadLogLines(), lastLines);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited in between.
        }

        try
        {
            await _completion.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The kill was sent; do not hang the test run.
        }

        _process.Dispose();
        if (Environment.GetEnvironmentVariable("TETHER_KEEP_TEST_DIRS") != "1")
        {
            DeleteDirectory(Directory);
        }
    }

    private async Task WatchAsync(Task stdout, Task stderr)
    {
        await _process.WaitForExitAsync();
        // A grandchild holding the pipes open must not keep us waiting forever.
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(5)));
        var reason = $"the agent exited with code {_process.ExitCode}";
        _stdout.Close(reason);
        _stderr.Close(reason);
    }

    private static async Task PumpAsync(StreamReader reader, WaitableLog<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }
    }

    private async Task<JsonElement> WaitForJsonLineAsync(string path, Func<JsonElement, bool> match, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        while (true)
        {
            var exited = _process.HasExited;
            foreach (var record in ParseJsonLines(ReadLines(path)))
            {
                if (match(record))
                {
                    return record;
                }
            }

            if (exited)
            {
                throw new InvalidOperationException($"No matching line in {path} and the agent has exited. {Describe()}");
            }

            try
            {
                await Task.Delay(PollInterval, cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching line in {path} within {timeout.TotalSeconds:0.###} s. {Describe()}");
            }
        }
    }

    private static IReadOnlyList<string> ReadLines(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Utf8NoBom);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }

            return lines;
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static List<JsonElement> ParseJsonLines(IReadOnlyList<string> lines)
    {
        var records = new List<JsonElement>(lines.Count);
        foreach (var line in lines)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                records.Add(doc.RootElement.Clone());
            }
            catch (JsonException)
            {
                // Not a JSON line (or one still being written).
            }
        }

        return records;
    }

    private static (string Executable, IReadOnlyList<string> Args) ResolveAgent()
    {
        if (Environment.GetEnvironmentVariable("TETHER_AGENT_BIN") is { Length: > 0 } bin)
        {
            if (!File.Exists(bin))
            {
                throw new InvalidOperationException($"TETHER_AGENT_BIN names {bin}, which does not exist.");
            }

            // A launcher runs the binary: /usr/lib/wine/wine64 for the win-x64 release file.
            return Environment.GetEnvironmentVariable("TETHER_AGENT_LAUNCHER") is { Length: > 0 } launcher
                ? (launcher, [bin])
                : (bin, []);
        }

        var binDir = Path.Combine(RepoPaths.Root, "src", "Tether", "bin");
        var dll = (System.IO.Directory.Exists(binDir)
                ? System.IO.Directory.GetDirectories(binDir)
                    .Select(config => new FileInfo(Path.Combine(config, "net10.0", "tether.dll")))
                    .Where(f => f.Exists)
                    .OrderByDescending(f => f.LastWriteTimeUtc)
                    .FirstOrDefault()
                : null)
            ?? throw new InvalidOperationException(
                $"No agent build found under {binDir}/<Debug|Release>/net10.0/tether.dll: run dotnet build, or set TETHER_AGENT_BIN to a published tether binary.");

        // dotnet test tells its children which host it runs on.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        return (dotnet, [dll.FullName]);
    }

    private static string Section(string title, IReadOnlyList<string> lines, int last)
    {
        var nl = Environment.NewLine;
        if (lines.Count == 0)
        {
            return $"{title}: (empty){nl}";
        }

        var tail = lines.Skip(Math.Max(0, lines.Count - last)).Select(l => "  " + (l.Length > 400 ? l[..400] + "…" : l));
        return $"{title} (last {Math.Min(last, lines.Count)} of {lines.Count}):{nl}{string.Join(nl, tail)}{nl}";
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // Something still holds a file; leave it to the OS temp cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

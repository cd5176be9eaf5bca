using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// The real socket.io peer (<c>tests/peer/server.js</c>) in a child process: records what
/// agents send (<see cref="Records"/>) and takes control commands (emit, disconnect, ...).
/// </summary>
/// <remarks>
/// Thread-safe. The records survive <see cref="StopAsync"/> / <see cref="RestartAsync"/>; their
/// <see cref="PeerRecord.Index"/> keeps counting. <see cref="DisposeAsync"/> kills the process
/// tree whatever state it is in, then fails the test when the peer reported an error, so no
/// test can forget that check (MQTTnet's <c>TestEnvironment</c> does the same on dispose).
/// </remarks>
public sealed class PeerServer : IAsyncDisposable
{
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly WaitableLog<PeerRecord> _records = new();
    private readonly object _gate = new();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _stdinLock = new(1, 1);
    private volatile Instance? _current;
    private int _nextControlId;
    private volatile bool _suspended;
    private bool _disposed;

    private PeerServer(PeerOptions options)
    {
        Options = options;
    }

    public PeerOptions Options { get; }

    /// <summary>The HMAC key the peer checks signatures with.</summary>
    public string Token => Options.Token;

    public int Port { get; private set; }

    /// <summary><c>http(s)://127.0.0.1:port</c>, the agent's <c>serverUrl</c>.</summary>
    public string Url { get; private set; } = "";

    public Uri Uri => new(Url);

    /// <summary>The node process id while it runs.</summary>
    public int ProcessId => _current?.Process.Id ?? throw new InvalidOperationException("The peer is not running.");

    public bool IsRunning
    {
        get
        {
            var current = _current;
            return current is not null && !current.Process.HasExited;
        }
    }

    /// <summary>A snapshot of every record so far, in arrival order.</summary>
    public IReadOnlyList<PeerRecord> Records => _records.Snapshot();

    /// <summary>How many records there are; the index the next one will get.</summary>
    public int RecordCount => _records.Count;

    /// <summary>Everything the peer wrote on stderr, over all its runs.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public static Task<PeerServer> StartAsync(CancellationToken ct = default) => StartAsync(new PeerOptions(), ct);

    public static async Task<PeerServer> StartAsync(PeerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var modules = Path.Combine(RepoPaths.PeerDirectory, "node_modules", "socket.io");
        if (!Directory.Exists(modules))
        {
            throw new InvalidOperationException(
                $"The test peer's packages are missing ({modules}): run npm ci in tests/peer.");
        }

        var peer = new PeerServer(options);
        try
        {
            await peer.LaunchAsync(options.Port, ct);
            return peer;
        }
        catch
        {
            // Not DisposeAsync: its error check would replace the reason the start failed.
            await peer.ShutDownAsync();
            throw;
        }
    }

    /// <summary>
    /// The three required keys of an agent config that points at this peer
    /// (<c>clientId</c>, <c>serverUrl</c>, <c>authToken</c>); add the rest as the test needs.
    /// </summary>
    public JsonObject CreateAgentConfig(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        return new JsonObject { ["clientId"] = clientId, ["serverUrl"] = Url, ["authToken"] = Token };
    }

    /// <summary>Waits for a record of <paramref name="kind"/>, including ones that came before the call.</summary>
    public Task<PeerRecord> WaitForAsync(string kind, Func<PeerRecord, bool>? match, TimeSpan timeout, CancellationToken ct = default) =>
        WaitForAsync(kind, match, timeout, fromIndex: 0, ct);

    /// <summary>
    /// Waits for a record of <paramref name="kind"/> whose index is at least <paramref name="fromIndex"/>
    /// (pass <see cref="RecordCount"/> taken earlier, or a record's <c>Index + 1</c>, for "the next one").
    /// </summary>
    public async Task<PeerRecord> WaitForAsync(
        string kind,
        Func<PeerRecord, bool>? match,
        TimeSpan timeout,
        int fromIndex,
        CancellationToken ct = default) =>
        (await WaitForCountAsync(kind, 1, match, timeout, fromIndex, ct))[0];

    /// <summary>Waits until <paramref name="count"/> matching records exist and returns the first <paramref name="count"/>.</summary>
    public Task<IReadOnlyList<PeerRecord>> WaitForCountAsync(
        string kind,
        int count,
        Func<PeerRecord, bool>? match,
        TimeSpan timeout,
        int fromIndex = 0,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return _records.WaitAsync(
            r => r.Kind == kind && (match is null || match(r)),
            count,
            fromIndex,
            timeout,
            () => $"{count} peer record(s) of kind '{kind}'{(match is null ? "" : " that match")} from #{fromIndex}. {Describe()}",
            ct);
    }

    /// <summary>Waits for an event the agent sent (a record of kind <c>event</c>).</summary>
    public Task<PeerRecord> WaitForEventAsync(string eventName, TimeSpan timeout, CancellationToken ct) =>
        WaitForEventAsync(eventName, timeout, match: null, fromIndex: 0, ct);

    public async Task<PeerRecord> WaitForEventAsync(
        string eventName,
        TimeSpan timeout,
        Func<PeerRecord, bool>? match,
        int fromIndex = 0,
        CancellationToken ct = default) =>
        (await WaitForEventsAsync(eventName, 1, timeout, match, fromIndex, ct))[0];

    /// <summary>Waits for the first <paramref name="count"/> events of that name (the Nth is the last element).</summary>
    public Task<IReadOnlyList<PeerRecord>> WaitForEventsAsync(
        string eventName,
        int count,
        TimeSpan timeout,
        Func<PeerRecord, bool>? match = null,
        int fromIndex = 0,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        return _records.WaitAsync(
            r => r.Kind == "event" && r.Event == eventName && (match is null || match(r)),
            count,
            fromIndex,
            timeout,
            () => $"{count} event(s) '{eventName}'{(match is null ? "" : " that match")} from #{fromIndex}. {Describe()}",
            ct);
    }

    /// <summary>Emits <paramref name="eventName"/> with one argument to every agent socket (or those of <paramref name="clientId"/>).</summary>
    /// <returns>How many sockets it went to.</returns>
    public async Task<int> EmitAsync(string eventName, object? payload, string? clientId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var command = new JsonObject { ["cmd"] = "emit", ["event"] = eventName, ["payload"] = ToNode(payload) };
        AddClientId(command, clientId);
        return Count(await SendControlAsync(command, ct));
    }

    /// <summary>Emits an EVENT packet with exactly these arguments: the first is the event name, or anything else.</summary>
    public async Task<int> EmitRawAsync(IEnumerable<object?> args, string? clientId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var array = new JsonArray();
        foreach (var arg in args)
        {
            array.Add(ToNode(arg));
        }

        var command = new JsonObject { ["cmd"] = "emitRaw", ["args"] = array };
        AddClientId(command, clientId);
        return Count(await SendControlAsync(command, ct));
    }

    /// <summary>Sends one engine.io message (<c>4</c> + <paramref name="socketIoPacket"/>) verbatim, e.g. a malformed packet.</summary>
    public async Task<int> SendRawAsync(string socketIoPacket, string? clientId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(socketIoPacket);
        var command = new JsonObject { ["cmd"] = "sendRaw", ["data"] = socketIoPacket };
        AddClientId(command, clientId);
        return Count(await SendControlAsync(command, ct));
    }

    /// <summary>
    /// The first time an agent sends <paramref name="whenEvent"/> (whose payload's planId is
    /// <paramref name="planId"/>, when given), the peer itself emits <paramref name="eventName"/>
    /// to that socket at once: no round trip through the test, so the reply races the agent.
    /// </summary>
    public async Task ReplyOnceAsync(string whenEvent, string eventName, object? payload, string? planId = null, string? clientId = null, CancellationToken ct = default)
    {
        var command = new JsonObject { ["cmd"] = "replyOnce", ["when"] = whenEvent, ["event"] = eventName, ["payload"] = ToNode(payload) };
        if (planId is not null)
        {
            command["planId"] = planId;
        }

        AddClientId(command, clientId);
        await SendControlAsync(command, ct);
    }

    /// <summary>Server-side <c>socket.disconnect(true)</c>: the agent sees <c>io server disconnect</c>.</summary>
    public async Task<int> DisconnectClientsAsync(string? clientId = null, CancellationToken ct = default)
    {
        var command = new JsonObject { ["cmd"] = "disconnect" };
        AddClientId(command, clientId);
        return Count(await SendControlAsync(command, ct));
    }

    public Task SetHelloAckAsync(bool enabled, CancellationToken ct = default) =>
        SendControlAsync(new JsonObject { ["cmd"] = "set", ["helloAck"] = enabled }, ct);

    /// <summary>Changes the HMAC key the peer checks from now on.</summary>
    public Task SetTokenAsync(string token, CancellationToken ct = default) =>
        SendControlAsync(new JsonObject { ["cmd"] = "set", ["token"] = token }, ct);

    public Task SetMaxSkewAsync(TimeSpan maxSkew, CancellationToken ct = default) =>
        SendControlAsync(new JsonObject { ["cmd"] = "set", ["maxSkewMs"] = (long)maxSkew.TotalMilliseconds }, ct);

    /// <summary>How many agent sockets are connected now.</summary>
    public async Task<int> CountAsync(CancellationToken ct = default) =>
        Count(await SendControlAsync(new JsonObject { ["cmd"] = "count" }, ct));

    /// <summary>Sends one control line and returns its ack; throws when the peer refused it.</summary>
    public async Task<PeerRecord> SendControlAsync(JsonObject command, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var current = _current;
        if (current is null || current.Process.HasExited)
        {
            throw new InvalidOperationException($"The peer is not running. {Describe()}");
        }

        if (_suspended)
        {
            throw new InvalidOperationException("The peer is suspended; it cannot answer control commands until ResumeAsync.");
        }

        var id = Interlocked.Increment(ref _nextControlId);
        var line = new JsonObject { ["id"] = id };
        foreach (var (name, value) in command)
        {
            line[name] = value?.DeepClone();
        }

        await _stdinLock.WaitAsync(ct);
        try
        {
            await current.Process.StandardInput.WriteLineAsync(line.ToJsonString().AsMemory(), ct);
            await current.Process.StandardInput.FlushAsync(ct);
        }
        finally
        {
            _stdinLock.Release();
        }

        var ack = await WaitForAsync(
            "ack",
            r => r.Json.TryGetProperty("id", out var ackId) && ackId.ValueKind == JsonValueKind.Number && ackId.GetInt32() == id,
            ControlTimeout,
            ct);
        if (!ack.Json.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
        {
            throw new InvalidOperationException($"The peer refused {line.ToJsonString()}: {ack.GetString("error")}");
        }

        return ack;
    }

    /// <summary>SIGSTOP: the peer stops answering (no pings, no replies) while its TCP connections stay open.</summary>
    public async Task SuspendAsync(CancellationToken ct = default)
    {
        var pid = ProcessId;
        UnixSignals.Send(pid, UnixSignals.SIGSTOP);
        _suspended = true;
        await WaitForStateAsync(pid, stopped: true, ct);
    }

    /// <summary>SIGCONT after <see cref="SuspendAsync"/>.</summary>
    public async Task ResumeAsync(CancellationToken ct = default)
    {
        var pid = ProcessId;
        UnixSignals.Send(pid, UnixSignals.SIGCONT);
        _suspended = false;
        await WaitForStateAsync(pid, stopped: false, ct);
    }

    /// <summary>Shuts the peer down cleanly (its sockets close); <see cref="RestartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        var current = _current;
        if (current is null)
        {
            return;
        }

        current.ExitExpected = true;
        if (!current.Process.HasExited)
        {
            if (_suspended)
            {
                UnixSignals.Send(current.Process.Id, UnixSignals.SIGCONT);
                _suspended = false;
            }

            try
            {
                await _stdinLock.WaitAsync(ct);
                try
                {
                    await current.Process.StandardInput.WriteLineAsync("""{"cmd":"shutdown"}""".AsMemory(), ct);
                    await current.Process.StandardInput.FlushAsync(ct);
                }
                finally
                {
                    _stdinLock.Release();
                }
            }
            catch (IOException)
            {
                // Already exiting: the pipe is closed.
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(StopTimeout);
            try
            {
                await current.Process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                KillTree(current.Process);
            }
        }

        await current.Completion.WaitAsync(ct);
        _current = null;
    }

    /// <summary>SIGKILL, as a crash would: no close frames, the kernel resets the connections.</summary>
    public async Task KillAsync(CancellationToken ct = default)
    {
        var current = _current;
        if (current is null)
        {
            return;
        }

        current.ExitExpected = true;
        KillTree(current.Process);
        _suspended = false;
        await current.Completion.WaitAsync(ct);
        _current = null;
    }

    /// <summary>Starts the peer again on the same port after <see cref="StopAsync"/> or <see cref="KillAsync"/>.</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is not null)
        {
            throw new InvalidOperationException("The peer is still running; StopAsync or KillAsync first.");
        }

        _records.Reopen();
        await LaunchAsync(Port, ct);
    }

    /// <summary>Throws when the peer wrote to stderr or recorded an error; <see cref="DisposeAsync"/> calls it.</summary>
    private void ThrowIfErrors()
    {
        var errors = Records.Where(r => r.Kind == "error").Select(r => r.Line).ToList();
        var stderr = StandardError;
        if (errors.Count > 0 || stderr.Length > 0)
        {
            throw new InvalidOperationException(
                $"The peer reported errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}{Environment.NewLine}stderr:{Environment.NewLine}{stderr}");
        }
    }

    /// <summary>The state of the peer for failure messages: the last records and stderr.</summary>
    public string Describe(int lastRecords = 15)
    {
        var records = Records;
        var tail = records.Skip(Math.Max(0, records.Count - lastRecords)).Select(r => "  " + Truncate(r.ToString(), 400));
        var stderr = StandardError;
        var state = IsRunning ? $"running (pid {_current?.Process.Id})" : "not running";
        return $"Peer {Url} {state}, {records.Count} records; last:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}"
            + (stderr.Length > 0 ? $"{Environment.NewLine}peer stderr:{Environment.NewLine}{Truncate(stderr, 4000)}" : "");
    }

    /// <summary>
    /// Kills the peer, then throws <see cref="InvalidOperationException"/> when it wrote to stderr
    /// or recorded an error during its life: an unexpected peer error fails the test that owned it.
    /// A second call does nothing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await ShutDownAsync();
        ThrowIfErrors();
    }

    private async ValueTask ShutDownAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var current = _current;
        _current = null;
        if (current is not null)
        {
            current.ExitExpected = true;
            KillTree(current.Process);
            try
            {
                await current.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // Nothing more to do; the kill was sent.
            }

            current.Process.Dispose();
        }

        _records.Close("the peer was disposed");
        _stdinLock.Dispose();
    }

    private async Task LaunchAsync(int port, CancellationToken ct)
    {
        // A port just given up can take a moment to be free again; retry that case only.
        for (var attempt = 1; ; attempt++)
        {
            var startIndex = _records.Count;
            var instance = Spawn(port);
            _current = instance;
            try
            {
                var listening = await WaitForAsync("listening", null, Options.StartTimeout, startIndex, ct);
                Port = listening.Json.GetProperty("port").GetInt32();
                Url = listening.GetString("url") ?? throw new InvalidOperationException("listening record without url");
                return;
            }
            catch (InvalidOperationException) when (port != 0 && attempt < 20 && instance.Process.HasExited && StandardError.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                await instance.Completion;
                _current = null;
                _records.Reopen();
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }
    }

    private Instance Spawn(int port)
    {
        var node = Environment.GetEnvironmentVariable("TETHER_NODE") is { Length: > 0 } n ? n : "node";
        var psi = new ProcessStartInfo(node)
        {
            WorkingDirectory = RepoPaths.PeerDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
        };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.PeerDirectory, "server.js"));
        foreach (var arg in Options.ToArguments(port))
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {node}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{node}' (Node.js 20+ must be on PATH, or set TETHER_NODE): {ex.Message}", ex);
        }

        var instance = new Instance(process);
        var stdout = PumpStdoutAsync(process.StandardOutput);
        var stderr = PumpStderrAsync(process.StandardError);
        instance.Completion = WatchAsync(instance, stdout, stderr);
        return instance;
    }

    private async Task WatchAsync(Instance instance, Task stdout, Task stderr)
    {
        await instance.Process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        if (!instance.ExitExpected)
        {
            _records.Close(
                $"the peer (pid {instance.Process.Id}) exited unexpectedly with code {instance.Process.ExitCode}.{Environment.NewLine}{Describe()}");
        }
    }

    private async Task PumpStdoutAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            JsonElement json;
            try
            {
                using var doc = JsonDocument.Parse(line);
                json = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                json = JsonSerializer.SerializeToElement(new JsonObject { ["kind"] = "stdout", ["text"] = line });
            }

            _records.Add(index => new PeerRecord(index, line, json));
        }
    }

    private async Task PumpStderrAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _stderr.AppendLine(line);
            }
        }
    }

    private static async Task WaitForStateAsync(int pid, bool stopped, CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // no /proc; the signal is delivered promptly anyway
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(5));
        while ((ProcFs.State(pid) is 'T' or 't') != stopped)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"Process {pid} did not become {(stopped ? "stopped" : "running")} (state {ProcFs.State(pid)}).");
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited in between.
        }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
    };

    private static void AddClientId(JsonObject command, string? clientId)
    {
        if (clientId is not null)
        {
            command["clientId"] = clientId;
        }
    }

    private static int Count(PeerRecord ack) =>
        ack.Json.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt32() : 0;

    private static string Truncate(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    private sealed class Instance(Process process)
    {
        public Process Process { get; } = process;

        public Task Completion { get; set; } = Task.CompletedTask;

        public volatile bool ExitExpected;
    }
}

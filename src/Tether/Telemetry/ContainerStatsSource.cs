using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Platform.HostStats;

namespace Tether.Telemetry;

/// <summary>
/// The <c>containers</c> member of <c>stats</c> (docs/protocol.md §3) from a Docker-compatible
/// engine's API: the running containers, then one one-shot stats call each (no stream is left
/// open), at most <see cref="MaxInFlight"/> at a time, each bounded by <see cref="CallTimeout"/>
/// and all of them by <see cref="SampleBudget"/>, so a hung engine delays a sample by a bounded
/// time and never stops it. CPU % and network rates run from the previous sample of the same
/// container (or the answer's own <c>precpu_stats</c> when the engine fills it in).
/// </summary>
/// <remarks>
/// Not thread-safe: one caller (the stats loop) samples at a time; the calls of one sample run in
/// parallel on their own. The engine's state is logged when it changes, not every sample: a
/// missing socket once as information, a socket the agent may not open once as a warning naming
/// the group to join.
/// </remarks>
internal sealed partial class ContainerStatsSource
{
    public const int MaxInFlight = 5;

    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Longest a whole sample of containers may take; calls still open then are cancelled.</summary>
    public static readonly TimeSpan SampleBudget = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<ContainerEngineSocket> _candidates;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<string, Previous> _previous = new(StringComparer.Ordinal);
    private readonly List<ContainerEngineSocket> _present = [];
    private ContainerEngineClient? _client;
    private EngineState _state = EngineState.Unknown;

    public ContainerStatsSource(IReadOnlyList<ContainerEngineSocket> candidates, TimeProvider time, ILogger log)
    {
        _candidates = candidates;
        _time = time;
        _log = log;
    }

    private enum EngineState
    {
        Unknown,
        Missing,
        Denied,
        NotAnswering,
        Answering,
    }

    /// <summary>The engine this source talks to once one answered; null before.</summary>
    public ContainerEngineSocket? Engine => _client?.Socket;

    /// <summary>One entry per running container, or null when no engine answers (the member is then left out).</summary>
    public async Task<IReadOnlyList<ContainerStats>?> SampleAsync(CancellationToken ct)
    {
        if (_client is null)
        {
            // A host without an engine is the common case: a stat per candidate, not a failed
            // connect (an exception) per candidate and sample; for a pipe also not a connect that
            // waits for the pipe to appear until the time limit. Without any, not even the budget's
            // timer is armed (it woke the runtime's timer thread every sample).
            _present.Clear();
            foreach (var candidate in _candidates)
            {
                if (IsPresent(candidate))
                {
                    _present.Add(candidate);
                }
            }

            if (_present.Count == 0)
            {
                SetState(EngineState.Missing, () => LogMissing(string.Join(", ", _candidates)));
                return null;
            }
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(SampleBudget);

        _client ??= await ProbeAsync(_present, budget.Token);
        if (_client is null)
        {
            return null;
        }

        List<EngineContainer>? list;
        try
        {
            using var call = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
            call.CancelAfter(CallTimeout);
            var (status, body) = await _client.GetAsync("/containers/json", call.Token);
            if (status != 200)
            {
                throw new IOException($"GET /containers/json answered HTTP {status}");
            }

            list = JsonSerializer.Deserialize(body, EngineApiJsonContext.Default.ListEngineContainer) ?? [];
        }
        catch (Exception e) when (e is IOException or SocketException or JsonException or UnauthorizedAccessException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            string reason = e is OperationCanceledException ? $"no answer within {CallTimeout.TotalSeconds:0} s" : e.Message;
            SetState(EngineState.NotAnswering, () => LogNotAnswering(_client.Socket.ToString(), reason));
            // Look for an engine afresh next time: it may have moved (Docker stopped, Podman started).
            _client = null;
            return null;
        }

        SetState(EngineState.Answering, () => LogAnswering(_client.Socket.ToString(), list.Count));
        var results = new ContainerStats[list.Count];
        using (var gate = new SemaphoreSlim(MaxInFlight))
        {
            var calls = new Task[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                calls[i] = OneAsync(_client, list[i], results, i, gate, budget.Token);
            }

            await Task.WhenAll(calls);
        }

        ct.ThrowIfCancellationRequested();
        if (_previous.Count > list.Count)
        {
            var running = new HashSet<string>(list.Select(c => c.Id), StringComparer.Ordinal);
            foreach (string gone in _previous.Keys.Where(id => !running.Contains(id)).ToList())
            {
                _previous.Remove(gone);
            }
        }

        return results;
    }

    private async Task OneAsync(ContainerEngineClient client, EngineContainer container, ContainerStats[] results, int index, SemaphoreSlim gate, CancellationToken budget)
    {
        string name = container.Names is [var first, ..] ? first.TrimStart('/') : container.Id;
        string shortId = container.Id.Length > 12 ? container.Id[..12] : container.Id;
        results[index] = new ContainerStats(shortId, name, container.Image ?? "", container.State ?? "", 0, 0, 0, 0, 0);
        EngineStats? stats = null;
        long timestamp = 0;
        try
        {
            await gate.WaitAsync(budget);
            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(budget);
                call.CancelAfter(CallTimeout);
                var (status, body) = await client.GetAsync($"/containers/{Uri.EscapeDataString(container.Id)}/stats?stream=false&one-shot=true", call.Token);
                timestamp = _time.GetTimestamp();
                if (status == 200)
                {
                    stats = JsonSerializer.Deserialize(body, EngineApiJsonContext.Default.EngineStats);
                }
            }
            finally
            {
                gate.Release();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or JsonException or UnauthorizedAccessException or OperationCanceledException)
        {
            LogStatsFailed(shortId, e.Message);
        }

        if (stats is null)
        {
            return;
        }

        ulong cpuTotal = stats.CpuStats?.CpuUsage?.TotalUsage ?? 0;
        var (rx, tx) = ContainerMath.NetworkBytes(stats);
        double? cpu = ContainerMath.CpuPercentFromPreCpu(stats);
        double rxRate = 0, txRate = 0;
        lock (_previous)
        {
            if (_previous.TryGetValue(container.Id, out var previous))
            {
                TimeSpan elapsed = stats.Read > previous.Read && previous.Read.Year > 1
                    ? stats.Read - previous.Read
                    : _time.GetElapsedTime(previous.Timestamp, timestamp);
                cpu ??= ContainerMath.CpuPercentBetween(previous.CpuTotal, cpuTotal, elapsed);
                double seconds = elapsed.TotalSeconds;
                if (seconds > 0)
                {
                    rxRate = rx >= previous.Rx ? Math.Round((rx - previous.Rx) / seconds, 1) : 0;
                    txRate = tx >= previous.Tx ? Math.Round((tx - previous.Tx) / seconds, 1) : 0;
                }
            }

            _previous[container.Id] = new Previous(cpuTotal, rx, tx, stats.Read, timestamp);
        }

        results[index] = results[index] with
        {
            CpuPercent = cpu ?? 0,
            MemBytes = ContainerMath.MemoryBytes(stats.MemoryStats),
            MemLimitBytes = stats.MemoryStats?.Limit ?? 0,
            NetRxBytesPerSec = rxRate,
            NetTxBytesPerSec = txRate,
        };
    }

    /// <summary>Connects to the first of <paramref name="present"/> (the candidates whose socket or pipe exists, in order) that answers.</summary>
    private async Task<ContainerEngineClient?> ProbeAsync(List<ContainerEngineSocket> present, CancellationToken ct)
    {
        ContainerEngineSocket? denied = null;
        ContainerEngineSocket? refused = null;
        string? refusedReason = null;
        foreach (var candidate in present)
        {
            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(ct);
                call.CancelAfter(CallTimeout);
                await using var stream = await candidate.ConnectAsync(call.Token);
                return new ContainerEngineClient(candidate);
            }
            catch (Exception e) when (IsMissing(e))
            {
            }
            catch (Exception e) when (e is UnauthorizedAccessException || e is SocketException { SocketErrorCode: SocketError.AccessDenied })
            {
                denied ??= candidate;
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                refused ??= candidate;
                refusedReason ??= e is OperationCanceledException ? "connect timed out" : e.Message;
            }
        }

        if (denied is not null)
        {
            string group = FileGroup.NameOf(denied.Address) is { } g ? $"group '{g}'" : "the group that owns the socket";
            SetState(EngineState.Denied, () => LogDenied(denied.ToString(), group));
        }
        else if (refused is not null)
        {
            SetState(EngineState.NotAnswering, () => LogNotAnswering(refused.ToString(), refusedReason!));
        }
        else
        {
            SetState(EngineState.Missing, () => LogMissing(string.Join(", ", _candidates)));
        }

        return null;
    }

    private static bool IsPresent(ContainerEngineSocket candidate) =>
        File.Exists(candidate.IsNamedPipe ? $@"\\.\pipe\{candidate.Address}" : candidate.Address);

    // ENOENT on connect is "address not available" to .NET; a missing pipe is a timeout or FileNotFound.
    private static bool IsMissing(Exception e) =>
        e is SocketException { SocketErrorCode: SocketError.AddressNotAvailable } or FileNotFoundException or DirectoryNotFoundException;

    private void SetState(EngineState state, Action log)
    {
        if (_state != state)
        {
            _state = state;
            log();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No container engine socket found (tried {Sockets}); stats carry no containers until one appears")]
    private partial void LogMissing(string sockets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container engine socket {Socket}: permission denied; add the agent's user to {Group} to report containers")]
    private partial void LogDenied(string socket, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container engine at {Socket} is not answering ({Reason}); stats carry no containers until it does")]
    private partial void LogNotAnswering(string socket, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Container engine at {Socket} answers: {Count} running containers")]
    private partial void LogAnswering(string socket, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stats of container {Id} not read: {Reason}")]
    private partial void LogStatsFailed(string id, string reason);

    private readonly record struct Previous(ulong CpuTotal, ulong Rx, ulong Tx, DateTimeOffset Read, long Timestamp);
}

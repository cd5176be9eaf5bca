using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Protocol;
using Tether.Transport;

namespace Tether.Telemetry;

/// <summary>
/// Sends <c>stats</c> every interval while the dashboard has acknowledged the agent, and one at
/// once after each <c>hello_ack</c> (docs/protocol.md §3) so a reconnected machine shows up immediately.
/// Stats are live events: one that cannot be sent is dropped, never queued.
/// Thread-safety: <see cref="RequestNow"/> from any thread; <see cref="RunAsync"/> once.
/// </summary>
internal sealed partial class StatsReporter(
    StatsCollector collector,
    LatencyProbe probe,
    Outbox outbox,
    EventFrameEncoder encoder,
    StatsReporterOptions options,
    TimeProvider time,
    ILogger<StatsReporter> log,
    ContainerStatsSource? containers = null)
{
    private static readonly TimeSpan LatencyTimeout = TimeSpan.FromSeconds(5);
    private readonly Channel<bool> _now = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ILogger _log = log;

    /// <summary>Asks for a sample now (after <c>hello_ack</c>); the interval restarts from it.</summary>
    public void RequestNow() => _now.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken ct)
    {
        // One wait for a request outlives the intervals it spans: cancelling it at every sample
        // would throw (and unwind) an OperationCanceledException inside the runtime each time.
        Task<bool> requested = _now.Reader.WaitToReadAsync(ct).AsTask();
        var delayCancel = new CancellationTokenSource();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Task interval = Task.Delay(options.Interval, time, delayCancel.Token);
                if (await Task.WhenAny(interval, requested) == requested)
                {
                    // A cancelled delay ends its timer and completes its task without an exception.
                    await delayCancel.CancelAsync();
                    delayCancel.Dispose();
                    delayCancel = new CancellationTokenSource();
                    ct.ThrowIfCancellationRequested();
                    _now.Reader.TryRead(out _);
                    requested = _now.Reader.WaitToReadAsync(ct).AsTask();
                }

                ct.ThrowIfCancellationRequested();
                await SampleAsync(ct);
            }
        }
        finally
        {
            delayCancel.Dispose();
        }
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        if (!outbox.IsReady)
        {
            return;
        }

        // The engine's calls and the latency probe wait on other parties: they run side by side.
        Task<IReadOnlyList<ContainerStats>?> containerTask = containers is null ? Task.FromResult<IReadOnlyList<ContainerStats>?>(null) : containers.SampleAsync(ct);
        double? latency = await probe.MeasureAsync(options.LatencyHost, options.LatencyPort, LatencyTimeout, ct);
        IReadOnlyList<ContainerStats>? containerStats = await containerTask;
        StatsData data = collector.Sample(latency) with { Containers = containerStats };
        byte[] frame = encoder.Encode("stats", new StatsEnvelope(data), StatsEnvelopeJsonContext.Default.StatsEnvelope);
        if (!outbox.TryPostLive(new OutboundEvent("stats", frame, Durable: false)))
        {
            LogStatsDropped();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "stats sample dropped: not connected or the send queue is full")]
    private partial void LogStatsDropped();
}

using Microsoft.Extensions.Logging;
using Tether.Protocol;
using Tether.Transport;

namespace Tether.Telemetry;

/// <summary>
/// Sends <c>stats</c> every interval while the dashboard has acknowledged the agent, and one at
/// once after each <c>hello_ack</c> (docs/protocol.md §3) so a reconnected machine shows up immediately.
/// Stats are live events: one that cannot be sent is dropped, never queued.
/// </summary>
/// <remarks>
/// The loop runs on a thread of its own that sleeps until the interval ends or a request comes,
/// then samples synchronously (the <c>/proc</c> reads, the latency probe's connect and <c>poll</c>).
/// On the system clock nothing but this thread and the send wakes per sample; as awaits on a
/// timer and an asynchronous connect, a sample woke the timer thread, the socket engine and a
/// dozen thread-pool hand-offs (bench/RESULTS.md, issue 13). Any other clock (tests) wakes the
/// thread through a timer from that clock.
/// A sample that throws is logged and skipped; the loop goes on to the next interval.
/// Thread-safety: <see cref="RequestNow"/> from any thread; <see cref="RunAsync"/> once.
/// </remarks>
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
    private readonly object _gate = new();
    private readonly ILogger _log = log;
    private bool _requested;
    private bool _due;

    /// <summary>Asks for a sample now (after <c>hello_ack</c>); the interval restarts from it.</summary>
    public void RequestNow()
    {
        lock (_gate)
        {
            _requested = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Starts the loop's thread; the task ends (cancelled) once <paramref name="ct"/> is, or faults with the loop.</summary>
    public Task RunAsync(CancellationToken ct)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                ended.TrySetException(e);
                return;
            }

            ended.TrySetCanceled(ct);
        })
        {
            IsBackground = true,
            Name = "tether stats",
        };
        thread.Start();
        return ended.Task;
    }

    private void Run(CancellationToken ct)
    {
        using var wake = ct.Register(Wake);
        string? failing = null;
        while (true)
        {
            WaitForIntervalOrRequest(ct);
            ct.ThrowIfCancellationRequested();
            bool sampled;
            try
            {
                sampled = Sample(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // A sample that fails (a host source the parsers did not foresee) costs that one
                // sample, never the loop: the dashboard would otherwise see a live agent without
                // stats until it restarts. The same failure again is logged at Debug, so a source
                // that fails every second does not fill the log.
                string what = e.GetType().FullName + ": " + e.Message;
                if (what == failing)
                {
                    LogSampleFailedAgain(what);
                }
                else
                {
                    LogSampleFailed(e);
                }

                failing = what;
                continue;
            }

            if (sampled && failing is not null)
            {
                LogSampleRecovered();
                failing = null;
            }
        }
    }

    /// <summary>Returns when the interval has passed since the call, a sample was requested, or <paramref name="ct"/> is cancelled.</summary>
    private void WaitForIntervalOrRequest(CancellationToken ct)
    {
        if (ReferenceEquals(time, TimeProvider.System))
        {
            // A timed wait of this thread: no timer, so no timer thread and no pool worker to wake it.
            long start = TimeProvider.System.GetTimestamp();
            lock (_gate)
            {
                while (!_requested && !ct.IsCancellationRequested)
                {
                    TimeSpan left = options.Interval - TimeProvider.System.GetElapsedTime(start);
                    if (left <= TimeSpan.Zero)
                    {
                        break;
                    }

                    // Rounded up: a wait of less than a millisecond would be one of 0 ms, and the
                    // loop would spin through the interval's last millisecond.
                    Monitor.Wait(_gate, (int)Math.Ceiling(left.TotalMilliseconds));
                }

                _requested = false;
            }

            return;
        }

        lock (_gate)
        {
            _due = false;
        }

        using (time.CreateTimer(_ => SetDue(), null, options.Interval, Timeout.InfiniteTimeSpan))
        {
            lock (_gate)
            {
                while (!_requested && !_due && !ct.IsCancellationRequested)
                {
                    Monitor.Wait(_gate);
                }

                _requested = false;
            }
        }
    }

    private void SetDue()
    {
        lock (_gate)
        {
            _due = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Samples and posts <c>stats</c>; false when there was no <c>hello_ack</c> to sample for.</summary>
    private bool Sample(CancellationToken ct)
    {
        if (!outbox.IsReady)
        {
            return false;
        }

        // The engine's calls run on their own while the probe connects; both wait on other parties.
        Task<IReadOnlyList<ContainerStats>?>? containerTask = containers?.SampleAsync(ct);
        double? latency = probe.Measure(options.LatencyHost, options.LatencyPort, LatencyTimeout, ct);
        IReadOnlyList<ContainerStats>? containerStats = containerTask?.GetAwaiter().GetResult();
        StatsData data = collector.Sample(latency) with { Containers = containerStats };
        byte[] frame = encoder.Encode("stats", new StatsEnvelope(data), StatsEnvelopeJsonContext.Default.StatsEnvelope);
        if (!outbox.TryPostLive(new OutboundEvent("stats", frame, Durable: false)))
        {
            LogStatsDropped();
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "stats sample dropped: not connected or the send queue is full")]
    private partial void LogStatsDropped();

    [LoggerMessage(Level = LogLevel.Error, Message = "stats sample failed; the next interval tries again")]
    private partial void LogSampleFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stats sample failed again: {Failure}")]
    private partial void LogSampleFailedAgain(string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "stats sample succeeded again after a failure")]
    private partial void LogSampleRecovered();
}

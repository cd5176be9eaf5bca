using Microsoft.Extensions.Time.Testing;

namespace Tether.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells the test when the code under test starts
/// waiting on it (every <c>Task.Delay(.., time, ..)</c> or timer creates one), so the test can
/// advance the clock after the wait began instead of racing it.
/// </summary>
/// <remarks>Thread-safe: the code under test creates timers on its own threads.</remarks>
internal sealed class FakeClock : TimeProvider
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly Lock _gate = new();
    private int _timersCreated;
    private TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many timers (delays included) were created so far.</summary>
    public int TimersCreated
    {
        get
        {
            lock (_gate)
            {
                return _timersCreated;
            }
        }
    }

    public override long TimestampFrequency => _time.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _time.LocalTimeZone;

    public void Advance(TimeSpan delta) => _time.Advance(delta);

    public override DateTimeOffset GetUtcNow() => _time.GetUtcNow();

    public override long GetTimestamp() => _time.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = _time.CreateTimer(callback, state, dueTime, period);
        TaskCompletionSource created;
        lock (_gate)
        {
            _timersCreated++;
            created = _created;
            _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        created.SetResult();
        return timer;
    }

    /// <summary>Waits until at least <paramref name="count"/> timers exist; fails the test after 10 s.</summary>
    public async Task WaitForTimersAsync(int count)
    {
        using var cts = new CancellationTokenSource(Deadline);
        while (true)
        {
            Task created;
            lock (_gate)
            {
                if (_timersCreated >= count)
                {
                    return;
                }

                created = _created.Task;
            }

            try
            {
                await created.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{count} timer(s) expected within {Deadline}; {TimersCreated} created.");
            }
        }
    }
}

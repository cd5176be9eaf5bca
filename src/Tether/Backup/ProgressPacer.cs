namespace Tether.Backup;

/// <summary>
/// Paces <c>backup_progress</c> (docs/protocol.md §5: at least every 2 s, at most 5 a second): the
/// loop emits whenever <see cref="MaxGap"/> passed without an emission, and <see cref="Kick"/>
/// (a new phase, a finished file) emits only when <see cref="MinGap"/> has passed. Time comes
/// from the injected <see cref="TimeProvider"/>. Thread-safe: emissions are serialised.
/// </summary>
internal sealed class ProgressPacer(TimeProvider time, Action emit)
{
    /// <summary>Half the contract's 2 s, so a slow send or a late timer still stays inside it.</summary>
    public static readonly TimeSpan MaxGap = TimeSpan.FromSeconds(1);

    /// <summary>At most 4 a second: under the contract's 5 with room for timer jitter.</summary>
    public static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private long _lastEmit = long.MinValue;

    /// <summary>Emits now unless the previous emission is younger than <see cref="MinGap"/>; true when it emitted.</summary>
    public bool Kick()
    {
        lock (_gate)
        {
            long now = time.GetTimestamp();
            if (_lastEmit != long.MinValue && time.GetElapsedTime(_lastEmit, now) < MinGap)
            {
                return false;
            }

            EmitLocked(now);
            return true;
        }
    }

    /// <summary>Emits at once, then whenever <see cref="MaxGap"/> passes without one, until cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        Kick();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Tick(), time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One turn of the loop: emits when <see cref="MaxGap"/> has passed since the last emission; returns how long to wait for the next turn.</summary>
    public TimeSpan Tick()
    {
        lock (_gate)
        {
            long now = time.GetTimestamp();
            TimeSpan since = _lastEmit == long.MinValue ? MaxGap : time.GetElapsedTime(_lastEmit, now);
            if (since >= MaxGap)
            {
                EmitLocked(now);
                since = TimeSpan.Zero;
            }

            return MaxGap - since;
        }
    }

    private void EmitLocked(long now)
    {
        _lastEmit = now;
        emit();
    }
}

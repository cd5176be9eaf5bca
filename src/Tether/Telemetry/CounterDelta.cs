namespace Tether.Telemetry;

/// <summary>
/// "Current minus previous" for one cumulative counter, kept apart from the code that reads
/// the counter so the reset and first-sample rules are tested on their own.
/// </summary>
/// <remarks>Not thread-safe: one caller advances it.</remarks>
internal sealed class CounterDelta
{
    private ulong _previous;

    /// <summary>Whether a reading has been taken, i.e. whether the next delta spans one interval.</summary>
    public bool HasPrevious { get; private set; }

    /// <summary>
    /// Records <paramref name="current"/> and returns how far the counter moved since the last
    /// reading. The first reading counts from zero, i.e. everything since boot. A reading below the
    /// previous one (interface reset, counter wrap, an interface gone from a sum) returns 0, never a
    /// negative or huge unsigned delta, and becomes the new baseline.
    /// </summary>
    public ulong Advance(ulong current)
    {
        ulong delta = current >= _previous ? current - _previous : 0;
        _previous = current;
        HasPrevious = true;
        return delta;
    }
}

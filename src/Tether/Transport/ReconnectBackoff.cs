namespace Tether.Transport;

/// <summary>
/// Reconnect delays of docs/protocol.md §2: 1 s, doubling, capped at 30 s, each plus up to 20 % random
/// jitter but never above 30 s; <see cref="Reset"/> on <c>hello_ack</c> or after a connection
/// stayed up for 60 s. Pure: randomness is injected so tests are exact.
/// Thread-safety: used by the connection loop only; not thread-safe.
/// </summary>
internal sealed class ReconnectBackoff(Func<double> nextUnitRandom)
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(60);
    public const double MaxJitter = 0.2;

    private TimeSpan _base = Initial;

    public ReconnectBackoff()
        : this(Random.Shared.NextDouble)
    {
    }

    /// <summary>The delay before the next attempt; advances the sequence.</summary>
    public TimeSpan Next()
    {
        TimeSpan current = _base;
        double jitter = Math.Clamp(nextUnitRandom(), 0, 1) * MaxJitter;
        TimeSpan delay = current + TimeSpan.FromTicks((long)(current.Ticks * jitter));
        _base = current * 2 >= Cap ? Cap : current * 2;
        return delay > Cap ? Cap : delay;
    }

    public void Reset() => _base = Initial;
}

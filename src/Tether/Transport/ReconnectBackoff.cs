namespace Tether.Transport;

/// <summary>
/// Reconnect delays of docs/protocol.md §2: a base of 1 s, doubling, capped at 30 s; each delay is
/// the base times a random factor in [0.5, 1.5) (socket.io-client's randomizationFactor 0.5) and
/// never above 30 s, so a fleet that dropped at once spreads its returns. <see cref="Reset"/> on
/// <c>hello_ack</c> or after a connection stayed up for 60 s. Pure: randomness is injected so
/// tests are exact.
/// Thread-safety: used by the connection loop only; not thread-safe.
/// </summary>
internal sealed class ReconnectBackoff(Func<double> nextUnitRandom)
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(60);

    /// <summary>socket.io-client's default: the factor is drawn from [1 - 0.5, 1 + 0.5).</summary>
    public const double RandomizationFactor = 0.5;

    private TimeSpan _base = Initial;

    public ReconnectBackoff()
        : this(Random.Shared.NextDouble)
    {
    }

    /// <summary>The delay before the next attempt; advances the sequence.</summary>
    public TimeSpan Next()
    {
        TimeSpan current = _base;
        double factor = 1 - RandomizationFactor + (2 * RandomizationFactor * Math.Clamp(nextUnitRandom(), 0, 1));
        // The range is open at 1.5: a draw that rounds up to it is held one tick below.
        long highest = (long)(current.Ticks * (1 + RandomizationFactor)) - 1;
        TimeSpan delay = TimeSpan.FromTicks(Math.Min((long)(current.Ticks * factor), highest));
        _base = current * 2 >= Cap ? Cap : current * 2;
        return delay > Cap ? Cap : delay;
    }

    public void Reset() => _base = Initial;
}

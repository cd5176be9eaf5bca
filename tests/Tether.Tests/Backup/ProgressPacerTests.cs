using Microsoft.Extensions.Time.Testing;
using Tether.Backup;

namespace Tether.Tests.Backup;

public sealed class ProgressPacerTests
{
    [Fact]
    public void Pacer_WithoutKicks_EmitsAtLeastEveryTwoSeconds()
    {
        var time = new FakeTimeProvider();
        var emitted = new List<DateTimeOffset>();
        var pacer = new ProgressPacer(time, () => emitted.Add(time.GetUtcNow()));

        // The loop's turns, driven by hand: wait what Tick asks, then tick again.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(30);)
        {
            var wait = pacer.Tick();
            time.Advance(wait);
            elapsed += wait;
        }

        Assert.True(emitted.Count >= 15, $"only {emitted.Count} emissions in 30 s");
        Assert.All(emitted.Zip(emitted.Skip(1)), pair => Assert.True(pair.Second - pair.First <= TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Pacer_KickedConstantly_EmitsAtMostFiveASecond()
    {
        var time = new FakeTimeProvider();
        var emitted = new List<DateTimeOffset>();
        var pacer = new ProgressPacer(time, () => emitted.Add(time.GetUtcNow()));

        for (int i = 0; i < 10_000; i++)
        {
            pacer.Kick();
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        // 10 s of kicks every millisecond.
        Assert.InRange(emitted.Count, 10, 50);
        Assert.All(emitted.Zip(emitted.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void Pacer_KicksAndTimerTogether_StayWithinBothBounds()
    {
        var time = new FakeTimeProvider();
        var emitted = new List<DateTimeOffset>();
        var pacer = new ProgressPacer(time, () => emitted.Add(time.GetUtcNow()));
        var random = new Random(5);
        var nextTick = TimeSpan.Zero;

        for (int i = 0; i < 2000; i++)
        {
            if (random.Next(3) == 0)
            {
                pacer.Kick();
            }

            var step = TimeSpan.FromMilliseconds(random.Next(1, 40));
            time.Advance(step);
            nextTick -= step;
            if (nextTick <= TimeSpan.Zero)
            {
                nextTick = pacer.Tick();
            }
        }

        var gaps = emitted.Zip(emitted.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.InRange(g, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2)));
    }
}

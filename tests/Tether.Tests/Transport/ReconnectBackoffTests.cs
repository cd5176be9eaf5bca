using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Next_WithoutJitter_Doubles_FromOneSecond_CappedAtThirty()
    {
        var backoff = new ReconnectBackoff(() => 0.0);
        double[] seconds = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], seconds);
    }

    [Fact]
    public void Next_WithFullJitter_AddsTwentyPercent_ButNeverAboveThirty()
    {
        var backoff = new ReconnectBackoff(() => 1.0);
        double[] seconds = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([1.2, 2.4, 4.8, 9.6, 19.2, 30, 30], seconds);
    }

    [Fact]
    public void Next_WithRandomJitter_StaysWithinBounds()
    {
        var random = new Random(42);
        var backoff = new ReconnectBackoff(random.NextDouble);
        double[] bases = [1, 2, 4, 8, 16, 30, 30, 30, 30];
        foreach (double b in bases)
        {
            double s = backoff.Next().TotalSeconds;
            Assert.InRange(s, b, Math.Min(b * 1.2, 30));
        }
    }

    [Fact]
    public void Reset_AfterHelloAck_StartsAgainAtOneSecond()
    {
        var backoff = new ReconnectBackoff(() => 0.0);
        for (int i = 0; i < 6; i++)
        {
            backoff.Next();
        }

        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next());
    }
}

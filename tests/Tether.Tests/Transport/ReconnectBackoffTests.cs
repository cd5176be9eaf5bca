using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Next_AtTheMiddleFactor_Doubles_FromOneSecond_CappedAtThirty()
    {
        var backoff = new ReconnectBackoff(() => 0.5);
        double[] seconds = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], seconds);
    }

    [Fact]
    public void Next_AtTheLowestFactor_IsHalfTheBase()
    {
        var backoff = new ReconnectBackoff(() => 0.0);
        double[] seconds = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([0.5, 1, 2, 4, 8, 15, 15], seconds);
    }

    [Fact]
    public void Next_AtTheHighestFactor_StaysBelowOneAndAHalfTimesTheBase_AndNeverAboveThirty()
    {
        var backoff = new ReconnectBackoff(() => 1.0);
        double[] seconds = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalSeconds).ToArray();

        Assert.All(seconds.Zip(new double[] { 1, 2, 4, 8, 16 }), p => Assert.InRange(p.First, p.Second * 1.4999, p.Second * 1.5 - 1e-7));
        Assert.Equal([30, 30], seconds[5..]);
    }

    [Fact]
    public void Next_WithRandomFactors_StaysWithinHalfAndOneAndAHalfOfTheBase()
    {
        var random = new Random(42);
        var backoff = new ReconnectBackoff(random.NextDouble);
        double[] bases = [1, 2, 4, 8, 16, 30, 30, 30, 30];
        foreach (double b in bases)
        {
            double s = backoff.Next().TotalSeconds;
            Assert.InRange(s, b * 0.5, Math.Min(b * 1.5, 30));
        }
    }

    [Fact]
    public void Next_OverManyDraws_SpreadsAFleetOverTheWholeRange()
    {
        // 1000 agents dropping at once: their first delays cover [0.5 s, 1.5 s), not one second.
        var random = new Random(7);
        var firsts = Enumerable.Range(0, 1000).Select(_ => new ReconnectBackoff(random.NextDouble).Next().TotalSeconds).ToList();

        Assert.InRange(firsts.Min(), 0.5, 0.55);
        Assert.InRange(firsts.Max(), 1.45, 1.5);
        int busiestTenth = firsts.GroupBy(static s => (int)(s * 10)).Max(static g => g.Count());
        Assert.True(busiestTenth < 150, $"{busiestTenth} of 1000 first attempts fell in one 100 ms slot");
    }

    [Fact]
    public void Reset_AfterHelloAck_StartsAgainAtOneSecond()
    {
        var backoff = new ReconnectBackoff(() => 0.5);
        for (int i = 0; i < 6; i++)
        {
            backoff.Next();
        }

        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next());
    }
}

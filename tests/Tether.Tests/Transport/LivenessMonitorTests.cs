using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class LivenessMonitorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static LivenessMonitor Create() =>
        new(TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(90), T0);

    [Fact]
    public void Evaluate_NoEnginePingWithinIntervalPlusTimeout_IsDead()
    {
        var m = Create();
        m.OnSent(T0.AddSeconds(40));
        Assert.Equal(LivenessVerdict.Alive, m.Evaluate(T0.AddSeconds(44.9)).Verdict);
        Assert.Equal(LivenessVerdict.EnginePingMissed, m.Evaluate(T0.AddSeconds(45)).Verdict);
    }

    [Fact]
    public void Evaluate_EnginePings_KeepTheLinkAlive()
    {
        var m = Create();
        for (int s = 25; s <= 300; s += 25)
        {
            m.OnEnginePing(T0.AddSeconds(s));
            m.OnSent(T0.AddSeconds(s));
            Assert.NotEqual(LivenessVerdict.EnginePingMissed, m.Evaluate(T0.AddSeconds(s + 1)).Verdict);
        }
    }

    [Fact]
    public void Evaluate_NextCheck_IsTheEnginePingDeadlineAtTheLatest()
    {
        var m = Create();
        var (_, next) = m.Evaluate(T0);
        Assert.True(next <= T0.AddSeconds(45));
    }

    [Fact]
    public void Evaluate_NothingSentForHalfThePongTimeout_AsksForOnePing()
    {
        var m = new LivenessMonitor(TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60), T0);
        m.OnEnginePing(T0.AddSeconds(25));
        Assert.Equal(LivenessVerdict.Alive, m.Evaluate(T0.AddSeconds(29)).Verdict);
        Assert.Equal(LivenessVerdict.SendPing, m.Evaluate(T0.AddSeconds(30)).Verdict);
        Assert.Equal(LivenessVerdict.Alive, m.Evaluate(T0.AddSeconds(31)).Verdict);
    }

    [Fact]
    public void Evaluate_ServerSilentForPongTimeout_IsDead_EvenIfEnginePingsWereExpectedLater()
    {
        // A server that sends engine pings rarely (huge pingInterval) but nothing else is still
        // caught by the lastPong rule.
        var m = new LivenessMonitor(TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(90), T0);
        for (int s = 15; s < 90; s += 15)
        {
            Assert.NotEqual(LivenessVerdict.ServerSilent, m.Evaluate(T0.AddSeconds(s)).Verdict);
        }

        Assert.Equal(LivenessVerdict.ServerSilent, m.Evaluate(T0.AddSeconds(90)).Verdict);
    }

    [Fact]
    public void Evaluate_AnythingReceived_ResetsTheSilenceClock()
    {
        var m = new LivenessMonitor(TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(90), T0);
        m.OnReceived(T0.AddSeconds(80));
        Assert.NotEqual(LivenessVerdict.ServerSilent, m.Evaluate(T0.AddSeconds(95)).Verdict);
        Assert.Equal(LivenessVerdict.ServerSilent, m.Evaluate(T0.AddSeconds(171)).Verdict);
    }
}

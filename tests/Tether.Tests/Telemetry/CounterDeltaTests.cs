using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

public sealed class CounterDeltaTests
{
    [Fact]
    public void Advance_FirstReading_CountsFromZero()
    {
        var delta = new CounterDelta();

        Assert.False(delta.HasPrevious);
        Assert.Equal(500UL, delta.Advance(500));
        Assert.True(delta.HasPrevious);
    }

    [Fact]
    public void Advance_Increasing_ReturnsDifference()
    {
        var delta = new CounterDelta();
        delta.Advance(500);

        Assert.Equal(250UL, delta.Advance(750));
        Assert.Equal(0UL, delta.Advance(750));
    }

    [Fact]
    public void Advance_CounterWentBackwards_ReturnsZeroAndRebaselines()
    {
        var delta = new CounterDelta();
        delta.Advance(1_000_000);

        Assert.Equal(0UL, delta.Advance(10));
        Assert.Equal(5UL, delta.Advance(15));
    }

    [Fact]
    public void Advance_NearUInt64Max_DoesNotOverflow()
    {
        var delta = new CounterDelta();
        delta.Advance(ulong.MaxValue - 10);

        Assert.Equal(10UL, delta.Advance(ulong.MaxValue));
        Assert.Equal(0UL, delta.Advance(0));
    }
}

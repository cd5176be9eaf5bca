using Tether.Update;

namespace Tether.Tests.Update;

public sealed class SemVersionTests
{
    [Theory]
    [InlineData("0.1.0", "0.2.0")]
    [InlineData("0.9.0", "0.10.0")]
    [InlineData("1.0.0-alpha", "1.0.0")]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.9.9", "2.0.0")]
    public void Ordering_FollowsSemver(string lower, string higher)
    {
        Assert.True(SemVersion.TryParse(lower, out var a));
        Assert.True(SemVersion.TryParse(higher, out var b));
        Assert.True(a.CompareTo(b) < 0);
        Assert.True(b.CompareTo(a) > 0);
    }

    [Fact]
    public void BuildMetadata_IsIgnoredInOrdering()
    {
        Assert.True(SemVersion.TryParse("1.2.3+abc", out var a));
        Assert.True(SemVersion.TryParse("1.2.3", out var b));
        Assert.Equal(0, a.CompareTo(b));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("v1.2.3")]
    [InlineData("1.2.x")]
    [InlineData("-1.2.3")]
    public void Invalid_IsRejected(string text) => Assert.False(SemVersion.TryParse(text, out _));
}

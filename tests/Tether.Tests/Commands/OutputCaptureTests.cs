using System.Text;
using Tether.Commands;

namespace Tether.Tests.Commands;

public sealed class OutputCaptureTests
{
    [Fact]
    public void Append_UnderTheLimit_KeepsEverything()
    {
        var capture = new OutputCapture(10);
        capture.Append("hello"u8);
        Assert.Equal("hello", capture.Decode());
        Assert.False(capture.Truncated);
        Assert.Equal(5, capture.TotalBytes);
    }

    [Fact]
    public void Append_PastTheLimit_KeepsThePrefixAndCountsTheRest()
    {
        var capture = new OutputCapture(4);
        capture.Append("abc"u8);
        capture.Append("defgh"u8);
        Assert.Equal("abcd", capture.Decode());
        Assert.True(capture.Truncated);
        Assert.Equal(8, capture.TotalBytes);
    }

    [Theory]
    [InlineData("aé", 2, "a")]        // é = C3 A9, cut after C3
    [InlineData("a中", 3, "a")]        // 中 = E4 B8 AD
    [InlineData("a😀", 4, "a")]        // 😀 = F0 9F 98 80
    [InlineData("a😀b", 5, "a😀")]
    public void Decode_CutInsideACharacter_LeavesTheCharacterOut(string text, int limit, string expected)
    {
        var capture = new OutputCapture(limit);
        capture.Append(Encoding.UTF8.GetBytes(text));
        Assert.Equal(expected, capture.Decode());
        Assert.True(capture.Truncated);
    }

    [Fact]
    public void Decode_InvalidUtf8_BecomesReplacementCharacters()
    {
        var capture = new OutputCapture(100);
        capture.Append([0x61, 0xFF, 0x62]);
        Assert.Equal("a\uFFFDb", capture.Decode());
    }

    [Fact]
    public void Decode_NulBytes_AreKeptAsNul()
    {
        var capture = new OutputCapture(100);
        capture.Append(new byte[3]);
        Assert.Equal("\0\0\0", capture.Decode());
    }
}

using Tether.Policy;


namespace Tether.Tests.Policy;

public sealed class TextChecksTests
{
    [Theory]
    [InlineData("A", true)]
    [InlineData("_", true)]
    [InlineData("a_1", true)]
    [InlineData("", false)]
    [InlineData("1a", false)]
    [InlineData("a-b", false)]
    [InlineData("é", false)]
    public void IsPosixName_MatchesTheNameGrammar(string text, bool expected)
    {
        Assert.Equal(expected, TextChecks.IsPosixName(text));
    }

    // A fact, not a theory: xunit's serialization of theory data replaces lone surrogates.
    [Fact]
    public void IndexOfLoneSurrogate_FindsTheFirstUnpairedHalf()
    {
        Assert.Equal(-1, TextChecks.IndexOfLoneSurrogate("abc"));
        Assert.Equal(-1, TextChecks.IndexOfLoneSurrogate("a𝄞b"));
        Assert.Equal(1, TextChecks.IndexOfLoneSurrogate("a\ud834"));
        Assert.Equal(0, TextChecks.IndexOfLoneSurrogate("\udd1ea"));
        Assert.Equal(2, TextChecks.IndexOfLoneSurrogate("𝄞\udd1e"));
        Assert.Equal(1, TextChecks.IndexOfLoneSurrogate("a\ud834b"));
    }

    [Fact]
    public void ForDisplay_EscapesWhatCouldForgeALogLine()
    {
        Assert.Equal("a\\u000Ab\\u001B\\u202Ec\\uD800 é𝄞", TextChecks.ForDisplay("a\nb\u001b\u202Ec\ud800 é𝄞"));
    }

    [Fact]
    public void ForDisplay_CutsLongTextWithoutSplittingAPair()
    {
        Assert.Equal("abc…", TextChecks.ForDisplay("abcdef", 3));
        Assert.Equal("ab𝄞…", TextChecks.ForDisplay("ab𝄞cd", 3));
        Assert.Equal("abc", TextChecks.ForDisplay("abc", 3));
    }
}

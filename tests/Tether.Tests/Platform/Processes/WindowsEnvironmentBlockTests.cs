using Tether.Platform.Processes;

namespace Tether.Tests.Platform.Processes;

public sealed class WindowsEnvironmentBlockTests
{
    private static KeyValuePair<string, string> V(string name, string value) => new(name, value);

    private static string Text(char[] block) => new(block);

    [Fact]
    public void Build_SortsByNameCaseInsensitively_AndEndsWithAnExtraNul()
    {
        var block = WindowsEnvironmentBlock.Build([V("b", "2"), V("A", "1"), V("C", "3")]);
        Assert.Equal("A=1\0b=2\0C=3\0\0", Text(block));
    }

    [Fact]
    public void Build_ComparesUpperCased_SoLettersSortBeforeUnderscore()
    {
        // Ordinal after upper-casing: 'A' (0x41) < '_' (0x5F), although 'a' (0x61) > '_'.
        var block = WindowsEnvironmentBlock.Build([V("_x", "1"), V("a", "2"), V("Z9", "3")]);
        Assert.Equal("a=2\0Z9=3\0_x=1\0\0", Text(block));
    }

    [Fact]
    public void Build_NamesDifferingOnlyInCase_LaterOneWins()
    {
        var block = WindowsEnvironmentBlock.Build([V("Path", @"C:\a"), V("TEMP", "t"), V("PATH", @"C:\b")]);
        Assert.Equal("PATH=C:\\b\0TEMP=t\0\0", Text(block));
    }

    [Fact]
    public void Build_Empty_IsTwoNuls()
    {
        Assert.Equal("\0\0", Text(WindowsEnvironmentBlock.Build([])));
    }

    [Fact]
    public void Build_EmptyValue_IsKept()
    {
        Assert.Equal("A=\0\0", Text(WindowsEnvironmentBlock.Build([V("A", string.Empty)])));
    }

    [Fact]
    public void Build_NonAsciiText_IsCopiedAsUtf16()
    {
        Assert.Equal("LANG=ü✓\0\0", Text(WindowsEnvironmentBlock.Build([V("LANG", "ü✓")])));
    }

    [Theory]
    [InlineData("", "x")]
    [InlineData("=C:", @"C:\")]
    [InlineData("A=B", "x")]
    [InlineData("A\0", "x")]
    [InlineData("A", "x\0y")]
    public void Build_InvalidEntry_Throws(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => WindowsEnvironmentBlock.Build([V(name, value)]));
    }

    [Fact]
    public void Split_CutsAtTheFirstEquals()
    {
        Assert.Equal([V("A", "b=c"), V("E", string.Empty)], WindowsEnvironmentBlock.Split(["A=b=c", "E="]).ToList());
    }

    [Theory]
    [InlineData("=x")]
    [InlineData("novalue")]
    public void Split_EntryWithoutName_Throws(string entry)
    {
        Assert.Throws<ArgumentException>(() => WindowsEnvironmentBlock.Split([entry]).ToList());
    }

    [Fact]
    public void Find_IsCaseInsensitive_AndTheLastOneWins()
    {
        Assert.Equal("2", WindowsEnvironmentBlock.Find([V("Path", "1"), V("PATH", "2")], "path"));
        Assert.Null(WindowsEnvironmentBlock.Find([V("PATHEXT", "x")], "PATH"));
    }
}

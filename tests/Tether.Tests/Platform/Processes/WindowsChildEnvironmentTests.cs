using Tether.Platform.Processes;

namespace Tether.Tests.Platform.Processes;

public sealed class WindowsChildEnvironmentTests
{
    [Theory]
    [InlineData(@"D:\Win", @"D:\Win")]
    [InlineData(@"D:\Win\", @"D:\Win\")]
    [InlineData(@"Win", @"C:\Windows")]
    [InlineData(@"D:\a;b", @"C:\Windows")]
    [InlineData("", @"C:\Windows")]
    [InlineData("\"D:\\Win\"", @"C:\Windows")]
    public void SystemRoot_IsTheAgentsOnlyWhenAFullPathWithoutSemicolonOrQuote(string value, string expected)
    {
        Assert.Equal(expected, WindowsChildEnvironment.SystemRoot(_ => value, @"C:\Windows"));
    }

    [Fact]
    public void SystemPath_IgnoresATrailingSeparator()
    {
        Assert.Equal(WindowsChildEnvironment.SystemPath(@"C:\Windows"), WindowsChildEnvironment.SystemPath(@"C:\Windows\"));
    }

    [Theory]
    [InlineData(true, @"C:\Windows\system32\cmd.exe", ".COM;.EXE;.BAT;.CMD")]
    [InlineData(false, @"D:\cmd.exe", ".PY;.EXE")]
    public void Basics_TakeComSpecAndPathExtFromTheAgentOnlyWhenProgramLookupIsNotFixed(bool fixedProgramLookup, string comSpec, string pathExt)
    {
        var agent = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["COMSPEC"] = @"D:\cmd.exe", ["pathext"] = ".PY;.EXE" };

        var basics = WindowsChildEnvironment.Basics(agent.GetValueOrDefault, @"C:\Windows", fixedProgramLookup);

        Assert.Equal(
            [new("SystemRoot", @"C:\Windows"), new("windir", @"C:\Windows"), new("ComSpec", comSpec), new("PATHEXT", pathExt)],
            basics);
    }

    [Fact]
    public void Basics_TreatAValueWithNulAsUnset()
    {
        var basics = WindowsChildEnvironment.Basics(name => name == "TEMP" ? "a\0b" : name == "TMP" ? "" : null, @"C:\Windows", fixedProgramLookup: false);

        Assert.DoesNotContain(basics, b => b.Key == "TEMP");
        Assert.Contains(new KeyValuePair<string, string>("TMP", ""), basics);
        Assert.Equal(WindowsChildEnvironment.StockPathExt, basics.Single(b => b.Key == "PATHEXT").Value);
    }
}

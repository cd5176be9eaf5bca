using Tether.Platform.Processes;

namespace Tether.Tests.Platform.Processes;

public sealed class WindowsExecutableLookupTests
{
    private const string SystemDirectory = @"C:\Windows\system32";

    private readonly HashSet<string> _files = new(StringComparer.OrdinalIgnoreCase);

    private string? Resolve(string file, string? path, string? pathExt = null, IReadOnlyList<string>? fallback = null) =>
        WindowsExecutableLookup.Resolve(file, path, pathExt, _files.Contains, fallback);

    [Fact]
    public void BareName_TakesTheFirstPathExtExtensionThatExists()
    {
        _files.UnionWith([@"C:\bin\tool.cmd", @"C:\bin\tool.exe"]);
        Assert.Equal(@"C:\bin\tool.exe", Resolve("tool", @"C:\bin", ".COM;.EXE;.BAT;.CMD"));
        Assert.Equal(@"C:\bin\tool.cmd", Resolve("tool", @"C:\bin", ".CMD;.EXE"));
    }

    [Fact]
    public void BareName_FirstPathDirectoryWins()
    {
        _files.UnionWith([@"C:\second\tool.exe", @"C:\first\tool.exe"]);
        Assert.Equal(@"C:\first\tool.exe", Resolve("tool", @"C:\first;C:\second"));
    }

    [Fact]
    public void NameWithAStartableExtension_IsTriedAsItIsFirst()
    {
        _files.UnionWith([@"C:\bin\tool.exe", @"C:\bin\tool.exe.com"]);
        Assert.Equal(@"C:\bin\tool.exe", Resolve("tool.exe", @"C:\bin"));
    }

    [Fact]
    public void NameWithAnotherExtension_GetsPathExtAppended()
    {
        _files.UnionWith([@"C:\py\python3.11", @"C:\py\python3.11.exe"]);
        Assert.Equal(@"C:\py\python3.11.exe", Resolve("python3.11", @"C:\py"));
    }

    [Fact]
    public void ExtensionsCreateProcessCannotStart_AreSkipped()
    {
        _files.UnionWith([@"C:\bin\tool.vbs", @"C:\bin\tool.exe"]);
        Assert.Equal(@"C:\bin\tool.exe", Resolve("tool", @"C:\bin", ".VBS;.EXE"));
        Assert.Null(Resolve("tool.vbs", @"C:\bin", ".VBS"));
    }

    [Fact]
    public void NoPathExt_UsesTheDefault()
    {
        _files.Add(@"C:\bin\tool.bat");
        Assert.Equal(@"C:\bin\tool.bat", Resolve("tool", @"C:\bin", pathExt: null));
        Assert.Equal(@"C:\bin\tool.bat", Resolve("tool", @"C:\bin", pathExt: "  "));
    }

    [Fact]
    public void RelativePathEntries_AreNeverSearched()
    {
        _files.UnionWith([@"bin\tool.exe", @".\tool.exe", @"tool.exe", @"\tool.exe", @"D:tool.exe"]);
        Assert.Null(Resolve("tool", @"bin;.;;\;D:"));
    }

    [Fact]
    public void QuotedPathEntries_AreUnquoted()
    {
        _files.Add(@"C:\Program Files\Git\cmd\git.exe");
        Assert.Equal(@"C:\Program Files\Git\cmd\git.exe", Resolve("git", "\"C:\\Program Files\\Git\\cmd\";C:\\bin"));
    }

    [Fact]
    public void TrailingSeparatorInAPathEntry_IsNotDoubled()
    {
        _files.Add(@"C:\bin\tool.exe");
        Assert.Equal(@"C:\bin\tool.exe", Resolve("tool", @"C:\bin\"));
    }

    [Fact]
    public void FallbackDirectories_AreSearchedAfterPath()
    {
        // The shell and command environments carry a Unix PATH today; cmd.exe is still found.
        _files.UnionWith([@"C:\Windows\system32\cmd.exe", @"C:\tools\cmd.exe"]);
        Assert.Equal(@"C:\Windows\system32\cmd.exe", Resolve("cmd.exe", "/usr/bin:/bin", fallback: [SystemDirectory]));
        Assert.Equal(@"C:\tools\cmd.exe", Resolve("cmd.exe", @"C:\tools", fallback: [SystemDirectory]));
    }

    [Fact]
    public void FullyQualifiedFile_IsUsedAsItIs_OrWithAPathExtExtension()
    {
        _files.UnionWith([@"C:\x\p.exe", "C:/x/p.exe", @"\\server\share\q.cmd"]);
        Assert.Equal(@"C:\x\p.exe", Resolve(@"C:\x\p.exe", path: null));
        Assert.Equal(@"C:\x\p.exe", Resolve(@"C:\x\p", path: null));
        Assert.Equal(@"\\server\share\q.cmd", Resolve(@"\\server\share\q", path: null));
        Assert.Equal("C:/x/p.exe", Resolve("C:/x/p.exe", path: null));
    }

    [Theory]
    [InlineData(@"bin\p.exe")]
    [InlineData(@".\p.exe")]
    [InlineData("C:p.exe")]
    [InlineData(@"\p.exe")]
    [InlineData("bin/p.exe")]
    public void FileWithARelativeDirectoryPart_IsRefused(string file)
    {
        _files.UnionWith([@"C:\bin\p.exe", @"C:\bin\bin\p.exe", @"bin\p.exe", @"\p.exe", "C:p.exe"]);
        Assert.Null(Resolve(file, @"C:\bin"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("to\"ol")]
    [InlineData("t*")]
    [InlineData("t?ol")]
    [InlineData("a|b")]
    [InlineData("a\0b")]
    public void InvalidNames_AreNotFound(string file)
    {
        _files.Add(@"C:\bin\tool.exe");
        Assert.Null(Resolve(file, @"C:\bin"));
    }

    [Fact]
    public void Missing_IsNull()
    {
        Assert.Null(Resolve("nothing", @"C:\bin", fallback: [SystemDirectory]));
    }

    [Theory]
    [InlineData(@"C:\", true)]
    [InlineData(@"c:/x", true)]
    [InlineData(@"\\server\share", true)]
    [InlineData(@"\\?\C:\x", true)]
    [InlineData("C:", false)]
    [InlineData("C:x", false)]
    [InlineData(@"\x", false)]
    [InlineData(@"\\\x", false)]
    [InlineData("x", false)]
    [InlineData("/usr/bin", false)]
    public void IsFullyQualified_FollowsWindowsRulesOnEveryOs(string path, bool expected)
    {
        Assert.Equal(expected, WindowsExecutableLookup.IsFullyQualified(path));
    }

    [Fact]
    public void Extensions_KeepPathExtOrder_LowerCased_StartableOnly_WithoutDuplicates()
    {
        Assert.Equal([".exe", ".cmd", ".com"], WindowsExecutableLookup.Extensions(".EXE; .exe;.Cmd;.VBS;;.JS;.COM"));
    }
}

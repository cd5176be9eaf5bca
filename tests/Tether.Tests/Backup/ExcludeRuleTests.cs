using System.Text;
using Tether.Backup;

namespace Tether.Tests.Backup;

public sealed class ExcludeRuleTests
{
    [Theory]
    [InlineData("*.log", "a.log", false, true)]
    [InlineData("*.log", "x/y/a.log", false, true)]
    [InlineData("*.log", "a.log/b", false, false)]
    [InlineData("cache/", "x/cache", true, true)]
    [InlineData("cache/", "x/cache", false, false)]
    [InlineData("/top-only", "top-only", false, true)]
    [InlineData("/top-only", "sub/top-only", false, false)]
    [InlineData("**/tmp/**", "a/tmp/b", false, true)]
    [InlineData("**/tmp/**", "tmp/b", false, true)]
    [InlineData("x/***", "q/x", true, true)]
    [InlineData("**/tmp/**", "a/tmp", true, false)]
    [InlineData("[ab]*.txt", "d/a1.txt", false, true)]
    [InlineData("[ab]*.txt", "c.txt", false, false)]
    [InlineData("[!ab]*.txt", "c.txt", false, true)]
    [InlineData("dir/*.bin", "dir/x.bin", false, true)]
    [InlineData("dir/*.bin", "q/dir/x.bin", false, true)]
    [InlineData("dir/*.bin", "dir/n/x.bin", false, false)]
    [InlineData("dir/*.bin", "xdir/x.bin", false, false)]
    [InlineData("a?c", "a/c", false, false)]
    [InlineData("a\\*", "a*", false, true)]
    [InlineData("a\\*", "ab", false, false)]
    [InlineData("x/**", "x/y/z", false, true)]
    [InlineData("x/**", "q/x/y", false, true)]
    public void Rule_Matches_AsRsyncExclude(string glob, string path, bool isDir, bool expected)
    {
        Assert.True(ExcludeRule.TryParse(glob, out var rule, out var error), error);
        Assert.Equal(expected, rule!.IsMatch(Encoding.UTF8.GetBytes(path), isDir));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!")]
    [InlineData("- foo")]
    [InlineData("+ foo")]
    [InlineData("a\nb")]
    public void Rule_RsyncSpecialOrControl_IsRefused(string glob)
    {
        Assert.False(ExcludeRule.TryParse(glob, out _, out _));
    }
}

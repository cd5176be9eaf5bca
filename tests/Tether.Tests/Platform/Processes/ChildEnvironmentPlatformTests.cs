using Tether.Platform.Processes;

namespace Tether.Tests.Platform.Processes;

public sealed class ChildEnvironmentPlatformTests
{
    [Fact]
    public void Current_OnThisOs_MatchesOperatingSystem()
    {
        Assert.Equal(OperatingSystem.IsWindows(), ChildEnvironmentPlatform.Current.IsWindows);
        Assert.False(ChildEnvironmentPlatform.Unix.IsWindows);
        Assert.Null(ChildEnvironmentPlatform.Unix.WindowsDirectory);
    }

    [Theory]
    [InlineData(@"D:\Windows", @"D:\Windows")]
    [InlineData(null, @"C:\Windows")]
    [InlineData("", @"C:\Windows")]
    [InlineData("Windows", @"C:\Windows")]
    [InlineData(@"\Windows", @"C:\Windows")]
    public void Windows_WithoutAFullPath_FallsBackToCWindows(string? directory, string expected)
    {
        var platform = ChildEnvironmentPlatform.Windows(directory);

        Assert.True(platform.IsWindows);
        Assert.Equal(expected, platform.WindowsDirectory);
    }
}

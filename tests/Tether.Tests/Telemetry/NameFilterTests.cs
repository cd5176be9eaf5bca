using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

public sealed class NameFilterTests
{
    [Fact]
    public void AllowAndDeny_DenyWins_NoAllowMeansAll()
    {
        var filter = NameFilter.FromRules(["coretemp/*", "nvme/*", "!coretemp/Core *"]);

        Assert.True(filter.IsAllowed("coretemp/Package id 0"));
        Assert.False(filter.IsAllowed("coretemp/Core 0"));
        Assert.True(filter.IsAllowed("nvme/Composite #2"));
        Assert.False(filter.IsAllowed("acpitz/temp1"));
        // Decisions are remembered; asking again gives the same answer.
        Assert.False(filter.IsAllowed("coretemp/Core 0"));

        var denyOnly = NameFilter.FromRules(["!thermal/*"]);
        Assert.True(denyOnly.IsAllowed("k10temp/Tctl"));
        Assert.False(denyOnly.IsAllowed("thermal/x86_pkg_temp"));
    }

    [Fact]
    public void ExcludedMounts_StarStaysInOnePart_DoubleStarSpans()
    {
        var filter = NameFilter.Excluding(["/snap/*", "/mnt/backup/**"]);

        Assert.False(filter.IsAllowed("/snap/core"));
        Assert.True(filter.IsAllowed("/snap/core/123"));
        Assert.False(filter.IsAllowed("/mnt/backup/a/b"));
        Assert.True(filter.IsAllowed("/"));
    }
}

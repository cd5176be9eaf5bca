using System.Text.Json;
using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

/// <summary>The docker CLI's container figures on captured Engine API answers (Podman 4.3 here, Docker's documented shapes).</summary>
public sealed class ContainerMathTests
{
    private static EngineStats Load(string name) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(Path.Join(AppContext.BaseDirectory, "Platform", "HostStats", "Fixtures", name)), EngineApiJsonContext.Default.EngineStats)!;

    [Fact]
    public void Podman_OneShot_HasNoPreCpu_MemoryIsUsage_CpuFromTwoSamples()
    {
        var first = Load("podman-stats-1.json");
        var second = Load("podman-stats-2.json");

        Assert.Null(ContainerMath.CpuPercentFromPreCpu(first));
        Assert.Equal(first.MemoryStats!.Usage, ContainerMath.MemoryBytes(first.MemoryStats));
        Assert.Equal(25276203008UL, first.MemoryStats.Limit);
        Assert.Equal((542UL, 1166UL), ContainerMath.NetworkBytes(first));

        // A "yes" loop on one core: its CPU time grew by about the elapsed time.
        var elapsed = second.Read - first.Read;
        double cpu = ContainerMath.CpuPercentBetween(first.CpuStats!.CpuUsage!.TotalUsage, second.CpuStats!.CpuUsage!.TotalUsage, elapsed)!.Value;
        double expected = (second.CpuStats.CpuUsage.TotalUsage - first.CpuStats.CpuUsage.TotalUsage) / (elapsed.TotalMilliseconds * 1e6) * 100;
        Assert.Equal(Math.Round(expected, 2), cpu);
        Assert.InRange(cpu, 30, 110);
    }

    [Fact]
    public void Docker_PreCpu_FollowsTheCliFormula_MemoryLessInactiveFile()
    {
        var stats = Load("docker-stats-v2-precpu.json");

        // (100215355 - 50215355) / (739306590000000 - 739302590000000) * 4 * 100 = 5.0
        Assert.Equal(5.0, ContainerMath.CpuPercentFromPreCpu(stats));
        Assert.Equal(52428800UL - 6291456UL, ContainerMath.MemoryBytes(stats.MemoryStats));
        Assert.Equal((5338UL + 4641UL, 648UL + 690UL), ContainerMath.NetworkBytes(stats));
    }

    [Fact]
    public void Docker_CgroupV1_UsesTotalInactiveFile_AndOneShotHasNoPreCpu()
    {
        var stats = Load("docker-stats-v1-oneshot.json");

        Assert.Null(ContainerMath.CpuPercentFromPreCpu(stats));
        Assert.Equal(104857600UL - 31457280UL, ContainerMath.MemoryBytes(stats.MemoryStats));
    }

    [Fact]
    public void CounterGoingBack_IsANewBaseline()
    {
        Assert.Null(ContainerMath.CpuPercentBetween(2_000, 1_000, TimeSpan.FromSeconds(1)));
        Assert.Equal(200.0, ContainerMath.CpuPercentBetween(0, 2_000_000_000, TimeSpan.FromSeconds(1)));
    }
}

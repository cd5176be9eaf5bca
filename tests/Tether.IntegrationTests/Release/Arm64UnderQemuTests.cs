using System.Text.Json;
using Tether.IntegrationTests.Commands;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Release;

/// <summary>
/// The linux-arm64 NativeAOT release file, run here on x64 under Debian's qemu-user with
/// Debian's arm64 multiarch libc and OpenSSL: the cross-linked binary starts, reads /proc with its
/// own struct layouts, speaks to the real peer, and drives a real PTY and posix_spawn.
/// </summary>
public sealed class Arm64UnderQemuTests
{
    // Emulation is several times slower than native; the deadlines stay generous.
    private static readonly TimeSpan Emulated = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Version_PrintsTheReleaseVersion()
    {
        await using var agent = await AgentProcess.StartAsync(ReleaseFiles.UnderQemu(new AgentOptions { Verb = null, PassConfigPath = false, ExtraArgs = ["--version"] }));
        Assert.Equal(0, await agent.WaitForExitAsync(Emulated));
        var version = Assert.Single(agent.StandardOutputLines, l => l.Length > 0);
        Assert.EndsWith($"tether-{version}-linux-arm64", ReleaseFiles.PathOf("linux-arm64"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_ReportsArm64_WithHostFiguresInRange()
    {
        await using var agent = await AgentProcess.StartAsync(ReleaseFiles.UnderQemu(new AgentOptions { Verb = "stats", PassConfigPath = false }));
        Assert.Equal(0, await agent.WaitForExitAsync(Emulated));
        using var doc = JsonDocument.Parse(string.Join('\n', agent.StandardOutputLines));
        var stats = doc.RootElement;
        Assert.Equal("arm64", stats.GetProperty("arch").GetString());
        Assert.Equal("linux", stats.GetProperty("os").GetString());
        Assert.Equal(Environment.ProcessorCount, stats.GetProperty("cpuCount").GetInt32());
        Assert.InRange(stats.GetProperty("mem").GetDouble(), 0.01, 100);
        var disk = stats.GetProperty("disk");
        var total = disk.GetProperty("totalBytes").GetInt64();
        Assert.True(total > 0, "statvfs through the arm64 struct layout gives the root file system's size");
        Assert.InRange(disk.GetProperty("freeBytes").GetInt64(), 0, total);
        Assert.True(stats.GetProperty("uptimeSec").GetDouble() > 0);
    }

    [Fact]
    public async Task Connects_SendsStats_AndRunsAnAllowedCommand()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = AdminRun.Config(peer, "arm64", "echo");
        await using var agent = await AgentProcess.StartAsync(ReleaseFiles.UnderQemu(new AgentOptions { Config = config }));

        var stats = await peer.WaitForEventAsync("stats", Emulated, CancellationToken.None);
        TelemetryTests.AssertStatsShape(stats.Payload);
        Assert.Equal("arm64", stats.Payload.GetProperty("data").GetProperty("arch").GetString());

        // posix_spawn from the emulated agent; the child (echo) is a native x64 program.
        var result = await AdminRun.RunAsync(peer, "arm64", "t1", "echo from arm64", timeout: Emulated);
        Assert.Equal(0, AdminRun.Code(result));
        Assert.Equal("from arm64\n", AdminRun.Stdout(result));
    }

    [Fact]
    public async Task Shell_RunsInARealPty()
    {
        await using var h = await AgentShellHarness.StartAsync("arm64-shell", agent: ReleaseFiles.UnderQemu(new AgentOptions()));
        var shell = await h.OpenShellAsync("s1", cols: 100, rows: 30);
        var text = await h.RunAsync(shell, "tty; stty size; echo done-$((20+22))", "done-42");
        Assert.Matches(@"/dev/pts/\d+", text);
        Assert.Contains("30 100", text, StringComparison.Ordinal);
    }
}

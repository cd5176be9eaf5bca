using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Agent;

/// <summary>
/// Ten seconds after the first hello_ack the agent lets the OS drop the clean file pages only
/// start-up used (docs/architecture.md "Memory"); it keeps working afterwards.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StartupTrimTests
{
    [Fact]
    public async Task AfterStartup_FileBackedResidentMemoryDrops_AndTheAgentKeepsWorking()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("trim");
        config["statsIntervalSec"] = 1;

        // A private copy of the binary: pages of a file that other agents (tests running in
        // parallel) map too are not this agent's to drop, and the kernel keeps them.
        string? published = Environment.GetEnvironmentVariable("TETHER_AGENT_BIN");
        Assert.False(string.IsNullOrEmpty(published), "this test measures the published NativeAOT binary: set TETHER_AGENT_BIN (scripts/test does)");
        using var copy = new TempDirectory("tether-trim-");
        string binary = copy.Join("tether");
        File.Copy(published!, binary);
        File.SetUnixFileMode(binary, (UnixFileMode)0x1ED);
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = config, Executable = binary });
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);

        // Only the executable is measured from outside: pages of libcrypto or libc that this test
        // process maps too are not the agent's to drop, and the kernel keeps them.
        string exe = new FileInfo($"/proc/{agent.ProcessId}/exe").LinkTarget!;
        long before = ProcFs.MappedRssKb(agent.ProcessId, exe);

        var line = await agent.WaitForLogAsync(r => HandshakeTests.Message(r).StartsWith("start-up over", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        long after = ProcFs.MappedRssKb(agent.ProcessId, exe);

        var fields = line.GetProperty("fields");
        Assert.True(fields.GetProperty("KiB").GetInt64() > 1024);

        // The kernel's own count, read by the agent just before and just after the advice.
        long rssBefore = fields.GetProperty("BeforeKiB").GetInt64();
        long rssAfter = fields.GetProperty("AfterKiB").GetInt64();
        Assert.True(rssAfter <= rssBefore - 1024, $"RssFile {rssBefore} KiB -> {rssAfter} KiB at the advice");

        // Seen from outside: what the agent still runs comes straight back (in 64 KiB
        // neighbourhoods), so the executable stays below where it was, by less than at the advice.
        Assert.True(before > 0, "no resident page of " + exe);
        Assert.True(after < before, $"resident pages of {exe}: {before} KiB before, {after} KiB after");

        // The dropped pages come back as the agent needs them: stats keep arriving.
        int from = peer.RecordCount;
        await peer.WaitForCountAsync("event", 2, r => r.Event == "stats", Waits.Event, from);
    }
}

using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.Update;

namespace Tether.IntegrationTests.Update;

/// <summary>
/// SIGKILL at each step of an update and of a rollback (docs/protocol.md §10, "Crash safety"):
/// the published agent is stopped at a named step (TETHER_UPDATE_TEST_PAUSE, or a download
/// server that stops in the middle of the body) and killed there. Each test then checks that
/// the binary's path holds a runnable binary (<c>--version</c>, <c>--self-test</c>), and that
/// the next start removes what the kill left, and finishes, reports or rolls back.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpdateCrashTests
{
    [Fact]
    public async Task KilledWithHalfTheDownloadWritten_TheBinaryRuns_TheNextStartRemovesThePartialFile()
    {
        await using var world = await UpdateWorld.StartAsync("crash-dl", probationSec: 120);
        byte[] release = new byte[1024 * 1024];
        Random.Shared.NextBytes(release);
        world.Files.Routes["/half"] = new(200, release, StallAfter: release.Length / 2);
        var (manifest, signature) = world.Box.Manifest(release, HigherBuild.NextVersion);
        await world.EmitUpdateAsync(manifest, signature, "/half");
        string temp = Path.Join(world.Box.BinDirectory, BinarySwap.TempFileName);
        Assert.True(await Poll.UntilAsync(() => File.Exists(temp) && new FileInfo(temp).Length >= release.Length / 4, UpdateWorld.Restart), "the download never reached the file" + world.Agent.Describe());
        world.Agent.SendSignal(UnixSignals.SIGKILL);
        await world.Agent.WaitForExitAsync(Waits.Event);

        Assert.InRange(new FileInfo(temp).Length, 1, release.Length - 1);
        AssertRunnable(world.Box, HigherBuild.CurrentVersion, world.Box.OriginalHash);
        Assert.False(File.Exists(world.Box.Previous));
        Assert.False(world.Box.OnProbation);

        await using var second = await RestartAsync(world, HigherBuild.CurrentVersion);
        Assert.Equal(["tether"], BinFiles(world.Box));
        Assert.Contains("left by an interrupted update", File.ReadAllText(world.Box.LogPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KilledAfterTheNewFileIsVerified_NothingIsReplaced_ALaterUpdateSucceeds()
    {
        string higher = await HigherBuild.PathAsync();
        await using var world = await UpdateWorld.StartAsync("crash-verified", probationSec: 120, pause: UpdateTestPause.Verified);
        world.Files.Routes["/tether"] = new(200, File.ReadAllBytes(higher));
        var (manifest, signature) = world.Box.Manifest(File.ReadAllBytes(higher), HigherBuild.NextVersion);
        await world.EmitUpdateAsync(manifest, signature, "/tether");
        await world.KillAtPauseAsync(UpdateTestPause.Verified);

        AssertRunnable(world.Box, HigherBuild.CurrentVersion, world.Box.OriginalHash);
        Assert.Equal([BinarySwap.TempFileName, "tether"], BinFiles(world.Box));
        Assert.False(world.Box.OnProbation);
        Assert.Null(world.Box.State());

        await using var second = await RestartAsync(world, HigherBuild.CurrentVersion);
        Assert.Equal(["tether"], BinFiles(world.Box));

        // The same release again: the leftover is gone and nothing trips the install.
        int from = world.Peer.RecordCount;
        await world.EmitUpdateAsync(manifest, signature, "/tether");
        var result = (await world.Peer.WaitForEventAsync("agent_update_result", UpdateWorld.Restart, r => r.ClientId == world.ClientId, from)).Payload;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString() + second.Describe());
        await world.Peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == world.ClientId && UpdateWorld.Version(r) == HigherBuild.NextVersion, from);
        Assert.Equal(UpdateSandbox.Hash(higher), UpdateSandbox.Hash(world.Box.Binary));
    }

    [Fact]
    public async Task KilledAfterThePreviousIsKept_BeforeTheStateIsWritten_TheOldBinaryRunsOn()
    {
        string higher = await HigherBuild.PathAsync();
        await using var world = await UpdateWorld.StartAsync("crash-previous", probationSec: 120, pause: UpdateTestPause.PreviousKept);
        world.Files.Routes["/tether"] = new(200, File.ReadAllBytes(higher));
        var (manifest, signature) = world.Box.Manifest(File.ReadAllBytes(higher), HigherBuild.NextVersion);
        await world.EmitUpdateAsync(manifest, signature, "/tether");
        await world.KillAtPauseAsync(UpdateTestPause.PreviousKept);

        AssertRunnable(world.Box, HigherBuild.CurrentVersion, world.Box.OriginalHash);
        Assert.Equal(world.Box.OriginalHash, UpdateSandbox.Hash(world.Box.Previous));
        Assert.False(world.Box.OnProbation);

        int from = world.Peer.RecordCount;
        await using var second = await RestartAsync(world, HigherBuild.CurrentVersion);
        Assert.Equal(["tether", "tether.previous"], BinFiles(world.Box));
        Assert.DoesNotContain(world.Peer.Records.Skip(from), r => r.Event == "agent_update_result");
    }

    [Fact]
    public async Task KilledAfterTheProbationRecord_BeforeTheRename_TheNextStartReportsTheInterruptedUpdate()
    {
        string higher = await HigherBuild.PathAsync();
        await using var world = await UpdateWorld.StartAsync("crash-record", probationSec: 120, pause: UpdateTestPause.ProbationWritten);
        world.Files.Routes["/tether"] = new(200, File.ReadAllBytes(higher));
        var (manifest, signature) = world.Box.Manifest(File.ReadAllBytes(higher), HigherBuild.NextVersion);
        await world.EmitUpdateAsync(manifest, signature, "/tether");
        await world.KillAtPauseAsync(UpdateTestPause.ProbationWritten);

        AssertRunnable(world.Box, HigherBuild.CurrentVersion, world.Box.OriginalHash);
        Assert.True(world.Box.OnProbation);

        int from = world.Peer.RecordCount;
        await using var second = await world.StartAgentAsync();
        var result = (await world.Peer.WaitForEventAsync("agent_update_result", UpdateWorld.Restart, r => r.ClientId == world.ClientId, from)).Payload;
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal(HigherBuild.NextVersion, result.GetProperty("to").GetString());
        Assert.Equal($"update to {HigherBuild.NextVersion} was interrupted before the new binary was in place; {HigherBuild.CurrentVersion} still runs", result.GetProperty("error").GetString());
        await world.Peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == world.ClientId && UpdateWorld.Version(r) == HigherBuild.CurrentVersion, from);
        Assert.False(world.Box.OnProbation);
        Assert.Equal(["tether", "tether.previous"], BinFiles(world.Box));
    }

    [Fact]
    public async Task KilledAfterTheRename_BeforeTheRestart_TheNextStartIsTheNewBuildOnProbation_AndPasses()
    {
        string higher = await HigherBuild.PathAsync();
        await using var world = await UpdateWorld.StartAsync("crash-swapped", probationSec: 120, pause: UpdateTestPause.Swapped);
        world.Files.Routes["/tether"] = new(200, File.ReadAllBytes(higher));
        var (manifest, signature) = world.Box.Manifest(File.ReadAllBytes(higher), HigherBuild.NextVersion);
        await world.EmitUpdateAsync(manifest, signature, "/tether");
        await world.KillAtPauseAsync(UpdateTestPause.Swapped);

        AssertRunnable(world.Box, HigherBuild.NextVersion, UpdateSandbox.Hash(higher));
        Assert.Equal(world.Box.OriginalHash, UpdateSandbox.Hash(world.Box.Previous));
        Assert.True(world.Box.OnProbation);

        int from = world.Peer.RecordCount;
        await using var second = await world.StartAgentAsync();
        var result = (await world.Peer.WaitForEventAsync("agent_update_result", UpdateWorld.Restart, r => r.ClientId == world.ClientId, from)).Payload;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(HigherBuild.CurrentVersion, result.GetProperty("from").GetString());
        Assert.Equal(HigherBuild.NextVersion, result.GetProperty("to").GetString());
        await world.Peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == world.ClientId && UpdateWorld.Version(r) == HigherBuild.NextVersion, from);
        Assert.False(world.Box.OnProbation);
        Assert.Equal(["tether", "tether.previous"], BinFiles(world.Box));
    }

    [Fact]
    public async Task KilledInTheMiddleOfARollback_TheNextStartRollsBack_AndReportsOnce()
    {
        string higher = await HigherBuild.PathAsync();
        await using var world = await UpdateWorld.StartAsync("crash-rollback", probationSec: 3, pause: UpdateTestPause.RollbackReported);
        world.Files.Routes["/tether"] = new(200, File.ReadAllBytes(higher));
        var (manifest, signature) = world.Box.Manifest(File.ReadAllBytes(higher), HigherBuild.NextVersion);

        // The new build (exec'd, so it keeps the pause variable) never gets hello_ack: its probation times out.
        await world.Peer.SetHelloAckAsync(false);
        await world.EmitUpdateAsync(manifest, signature, "/tether");
        await world.KillAtPauseAsync(UpdateTestPause.RollbackReported);
        AssertRunnable(world.Box, HigherBuild.NextVersion, UpdateSandbox.Hash(higher));
        Assert.True(world.Box.OnProbation);

        await world.Peer.SetHelloAckAsync(true);
        int from = world.Peer.RecordCount;
        await using var second = await world.StartAgentAsync();
        var result = (await world.Peer.WaitForEventAsync("agent_update_result", UpdateWorld.Restart, r => r.ClientId == world.ClientId, from)).Payload;
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.StartsWith($"rolled back: {HigherBuild.NextVersion} stopped before it reached hello_ack", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        var stats = await world.Peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == world.ClientId && UpdateWorld.Version(r) == HigherBuild.CurrentVersion, from);
        Assert.Single(world.Peer.Records.Skip(from), r => r.Event == "agent_update_result" && r.ClientId == world.ClientId);
        AssertRunnable(world.Box, HigherBuild.CurrentVersion, world.Box.OriginalHash);
        Assert.False(world.Box.OnProbation);
        Assert.Equal(["tether", "tether.previous"], BinFiles(world.Box));
        Assert.NotNull(stats);
    }

    [Fact]
    public async Task KilledAfterARollbacksRename_TheRestoredBinaryRuns_RemovesTheRecord_AndReportsOnce()
    {
        string higher = await HigherBuild.PathAsync();
        await using var world = await UpdateWorld.StartAsync("crash-rolledback", probationSec: 3, pause: UpdateTestPause.RollbackSwapped);
        world.Files.Routes["/tether"] = new(200, File.ReadAllBytes(higher));
        var (manifest, signature) = world.Box.Manifest(File.ReadAllBytes(higher), HigherBuild.NextVersion);

        await world.Peer.SetHelloAckAsync(false);
        await world.EmitUpdateAsync(manifest, signature, "/tether");
        await world.KillAtPauseAsync(UpdateTestPause.RollbackSwapped);
        AssertRunnable(world.Box, HigherBuild.CurrentVersion, world.Box.OriginalHash);
        Assert.True(world.Box.OnProbation);

        await world.Peer.SetHelloAckAsync(true);
        int from = world.Peer.RecordCount;
        await using var second = await world.StartAgentAsync();
        var result = (await world.Peer.WaitForEventAsync("agent_update_result", UpdateWorld.Restart, r => r.ClientId == world.ClientId, from)).Payload;
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.StartsWith($"rolled back: {HigherBuild.NextVersion} did not reach hello_ack within 3 s", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        await world.Peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == world.ClientId && UpdateWorld.Version(r) == HigherBuild.CurrentVersion, from);
        Assert.Single(world.Peer.Records.Skip(from), r => r.Event == "agent_update_result" && r.ClientId == world.ClientId);
        Assert.False(world.Box.OnProbation);
        Assert.Equal(["tether", "tether.previous"], BinFiles(world.Box));
    }

    /// <summary>The binary's path holds <paramref name="hash"/>'s file, which starts, names <paramref name="version"/> and passes its self-test with the host's config.</summary>
    private static void AssertRunnable(UpdateSandbox box, string version, string hash)
    {
        Assert.Equal(hash, UpdateSandbox.Hash(box.Binary));
        Assert.Equal(version, HigherBuild.Version(box.Binary));
        var selfTest = HigherBuild.Run(box.Binary, ["--self-test", "--config", box.ConfigPath], box.Root, TimeSpan.FromSeconds(30));
        Assert.True(selfTest.ExitCode == 0, selfTest.Output);
        Assert.Contains(UpdateInstaller.SelfTestLine(version), selfTest.Output, StringComparison.Ordinal);
    }

    private static async Task<AgentProcess> RestartAsync(UpdateWorld world, string version)
    {
        int from = world.Peer.RecordCount;
        var agent = await world.StartAgentAsync();
        await world.Peer.WaitForEventAsync("stats", UpdateWorld.Restart, r => r.ClientId == world.ClientId && UpdateWorld.Version(r) == version, from);
        return agent;
    }

    private static List<string?> BinFiles(UpdateSandbox box) => [.. Directory.GetFiles(box.BinDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)];
}

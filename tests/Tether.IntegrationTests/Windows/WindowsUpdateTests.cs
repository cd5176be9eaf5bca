using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.IntegrationTests.Update;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// Self-update's Windows half under Wine (docs/protocol.md §10, packaging/windows/README.md),
/// from the state an install leaves: the new build at <c>bin/tether.exe</c>, the old one at
/// <c>tether.previous.exe</c>, a probation record. The "old build" is the file under test with
/// 16 bytes appended (a single file ignores bytes after its bundle): another file, so the
/// restore is seen in its hash, without a second win-x64 publish in the Wine stage. The new build passes its probation at
/// hello_ack; or it never gets there and is rolled back: the running .exe is renamed to
/// <c>tether.rolledback.exe</c> (Windows cannot overwrite it), the previous copied into place,
/// and the restored binary started as a new process (Windows has no exec), which reports.
/// The install itself (<c>tether update</c>) cannot run under Wine 8: its bcrypt cannot import
/// an ECDSA P-256 public key (NTE_NOT_SUPPORTED), so a config with update.publicKeys does not
/// load; its renames are unit-tested (BinarySwapTests). The SCM restart is not run here either
/// (the service tests are left out of CI, see the README's platform table).
/// </summary>
[Trait("Category", "Windows")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WindowsUpdateTests
{
    /// <summary>What the probation record names as the version before the update (the old file is the same build).</summary>
    private const string OldVersion = "0.0.1-old";

    private static readonly TimeSpan Restart = TimeSpan.FromSeconds(90);

    private static readonly Lazy<string> LazyVersion = new(() => HigherBuild.Run(Launcher, [HigherBuild.Current, "--version"], null, TimeSpan.FromMinutes(1)).Output.Trim());

    private static string CurrentVersion => LazyVersion.Value;

    private static string Launcher =>
        Environment.GetEnvironmentVariable("TETHER_AGENT_LAUNCHER") is { Length: > 0 } launcher ? launcher : throw new InvalidOperationException("set TETHER_AGENT_LAUNCHER");

    [Fact]
    public async Task NewBuildOnProbation_ReachesHelloAck_ProbationEnds_ReportsOk()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var box = Sandbox();
        await using var peer = await PeerServer.StartAsync();
        WriteConfig(box, peer, "win-upd-ok", probationSec: 120);
        AsAnInstallLeavesIt(box);

        await using var agent = await StartAsync(box);
        var result = (await peer.WaitForEventAsync("agent_update_result", Restart, r => r.ClientId == "win-upd-ok")).Payload;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString() + agent.Describe());
        Assert.Equal(OldVersion, result.GetProperty("from").GetString());
        Assert.Equal(CurrentVersion, result.GetProperty("to").GetString());
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "win-upd-ok");
        Assert.Equal(box.OriginalHash, UpdateSandbox.Hash(box.Binary));
        Assert.False(box.OnProbation);
        Assert.Equal(["tether.exe", "tether.previous.exe"], BinFiles(box));
    }

    [Fact]
    public async Task NewBuildNeverReachesHelloAck_RunningExeRenamedAside_PreviousRestored_RestartedAsANewProcess_Reported()
    {
        WindowsAgentTests.RequireWindowsAgent();
        using var box = Sandbox();
        await using var peer = await PeerServer.StartAsync();
        WriteConfig(box, peer, "win-upd-back", probationSec: 3);
        AsAnInstallLeavesIt(box);

        await peer.SetHelloAckAsync(false);
        try
        {
            await using (var agent = await StartAsync(box))
            {
                await UpdateWorld.WaitForLogAsync(box, "update: rolled back from " + CurrentVersion);

                // The rolled-back process started the restored binary and ended by itself, with 0.
                Assert.True(await Poll.UntilAsync(() => agent.HasExited, Restart), "the rolled-back agent did not exit" + agent.Describe());
                Assert.Equal(0, await agent.WaitForExitAsync(Waits.Event));
            }

            string old = UpdateSandbox.Hash(box.Previous);
            Assert.NotEqual(box.OriginalHash, old);
            Assert.Equal(old, UpdateSandbox.Hash(box.Binary));
            // The restored file is the same build: its connect is the client's second (the first process waited on one without hello_ack).
            await UpdateWorld.AcknowledgeRestoredBuildAsync(peer, "win-upd-back", _ => true, fromIndex: 0, connects: 2);
            var result = (await peer.WaitForEventAsync("agent_update_result", Restart, r => r.ClientId == "win-upd-back")).Payload;
            Assert.False(result.GetProperty("ok").GetBoolean());
            Assert.StartsWith($"rolled back: {CurrentVersion} did not reach hello_ack within 3 s", result.GetProperty("error").GetString(), StringComparison.Ordinal);
            await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "win-upd-back");
            Assert.False(box.OnProbation);
            Assert.Equal([CurrentVersion], box.State()!["rolledBack"]!.AsArray().Select(v => v!.GetValue<string>()));
            Assert.NotEmpty(ProcessesWithConfig(box));
        }
        finally
        {
            // The restored agent is a process of its own, not the test's child: end it.
            await KillAllAsync(box);
        }

        // The renamed-aside .exe is removed by the restored binary's start (when the rolled-back
        // process had ended) or by the next one.
        int records = peer.RecordCount;
        await using (var again = await StartAsync(box))
        {
            await peer.WaitForEventAsync("stats", Restart, r => r.ClientId == "win-upd-back", records);
        }

        Assert.Equal(["tether.exe", "tether.previous.exe"], BinFiles(box));
    }

    /// <summary>What <c>tether update</c> leaves on Windows: the new build as tether.exe, the old as tether.previous.exe, a probation record.</summary>
    private static void AsAnInstallLeavesIt(UpdateSandbox box)
    {
        File.Copy(box.Binary, box.Previous);
        using (var previous = new FileStream(box.Previous, FileMode.Append))
        {
            previous.Write(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        }

        Directory.CreateDirectory(Path.Join(box.StateDirectory, "update"));
        File.WriteAllText(
            Path.Join(box.StateDirectory, "update", "probation.json"),
            $$"""{"from":"{{OldVersion}}","to":"{{CurrentVersion}}"}""");
    }

    private static async Task KillAllAsync(UpdateSandbox box)
    {
        foreach (int pid in ProcessesWithConfig(box))
        {
            UnixSignals.Send(pid, UnixSignals.SIGKILL);
        }

        await Poll.UntilAsync(() => ProcessesWithConfig(box).Count == 0, Waits.Event, "the restored agent to end");
    }

    private static UpdateSandbox Sandbox() => new(HigherBuild.Current, "tether.exe", "tether.previous.exe", Launcher);

    private static void WriteConfig(UpdateSandbox box, PeerServer peer, string clientId, int probationSec)
    {
        // No update.publicKeys: Wine 8 cannot import them (see above); probation and rollback need none.
        var config = box.Config(peer.CreateAgentConfig(clientId), probationSec, withKey: false);
        config["statsIntervalSec"] = 1;
        box.WriteConfig(config);
    }

    private static Task<AgentProcess> StartAsync(UpdateSandbox box) =>
        AgentProcess.StartAsync(new AgentOptions
        {
            Executable = box.Launcher,
            ExecutableArgs = [box.Binary],
            Verb = "run",
            ExtraArgs = ["--config", box.ConfigPath],
            WorkingDirectory = box.Root,
        });

    /// <summary>Wine processes of this sandbox's agent: their command line names its config file.</summary>
    private static List<int> ProcessesWithConfig(UpdateSandbox box) =>
        [.. ProcFs.AllPids().Where(pid => ProcFs.IsAlive(pid) && CommandLine(pid)?.Contains(box.ConfigPath, StringComparison.Ordinal) == true)];

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static List<string?> BinFiles(UpdateSandbox box) => [.. Directory.GetFiles(box.BinDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)];
}
